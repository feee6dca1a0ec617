package dev.portico.edge.cache;

/**
 * A site's cache settings as the freshness rules need them.
 *
 * @param defaultTtlSeconds freshness of a response that allows caching but states none (a
 *                          heuristic lifetime, RFC 9111 §4.2.2); 0: such responses are not stored
 * @param maxObjectBytes    largest body stored; a larger one is relayed and not stored
 * @param guarded           whether the site has an access policy (basic auth, a JWT, SSO)
 * @param shared            the operator's statement that the guarded site's responses are the same for
 *                          every user, so the cache may serve them across users
 */
public record CacheRules(long defaultTtlSeconds, long maxObjectBytes, boolean guarded, boolean shared) {
}
