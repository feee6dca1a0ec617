package dev.portico.edge.policy;

/**
 * What the filters of every site of one edge verticle share: the password checks, the JWT
 * verifiers and the rate limiter (each holding per-node state: pools, keys, counts).
 */
public record PolicyServices(BasicAuthVerifier basicAuth, JwtGuard jwt, RateLimiter rateLimiter) {
}
