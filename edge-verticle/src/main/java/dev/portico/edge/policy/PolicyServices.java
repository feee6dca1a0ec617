package dev.portico.edge.policy;

import dev.portico.edge.cache.CacheNode;

/**
 * What the filters of every site of one edge verticle share: the password checks, the JWT
 * verifiers, the rate limiter and the node's response cache (each holding per-node state: pools,
 * keys, counts, stored responses).
 */
public record PolicyServices(BasicAuthVerifier basicAuth, JwtGuard jwt, RateLimiter rateLimiter, CacheNode cache) {
}
