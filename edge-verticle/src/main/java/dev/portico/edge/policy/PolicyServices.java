package dev.portico.edge.policy;

import dev.portico.edge.cache.CacheNode;
import dev.portico.edge.sso.SsoService;

/**
 * What the filters of every site of one edge verticle share: the password checks, the JWT
 * verifiers, the rate limiter, the node's response cache and single sign-on (each holding
 * per-node state: pools, keys, counts, stored responses, providers).
 */
public record PolicyServices(BasicAuthVerifier basicAuth, JwtGuard jwt, RateLimiter rateLimiter, CacheNode cache,
    SsoService sso) {
}
