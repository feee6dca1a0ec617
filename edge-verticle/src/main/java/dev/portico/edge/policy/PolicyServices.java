package dev.portico.edge.policy;

import dev.portico.edge.sso.SsoService;

/**
 * What the filters of every site of one edge verticle share: the password checks, the JWT
 * verifiers, the rate limiter and single sign-on (each holding per-node state: pools, keys,
 * counts, providers).
 */
public record PolicyServices(BasicAuthVerifier basicAuth, JwtGuard jwt, RateLimiter rateLimiter, SsoService sso) {
}
