package dev.portico.edge.pipeline;

import dev.portico.contract.Cidr;

import java.util.List;

/**
 * What a site's filters know of the site beyond their own policy, built once with the route.
 *
 * @param pattern        the site's domain pattern (its key in Redis, in rate-limit keys, ...)
 * @param tenant         whether the site has an owner (the hosts it names are checked against the node's rules)
 * @param trustedProxies the proxies whose {@code X-Forwarded-For} names the client
 */
public record SiteInfo(String pattern, boolean tenant, List<Cidr> trustedProxies) {
}
