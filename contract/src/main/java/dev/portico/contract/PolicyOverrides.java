package dev.portico.contract;

import io.vertx.core.json.JsonObject;

/**
 * A route's policies: the site's, with those the route names replaced. A named field is parsed
 * exactly as on a site ({@link SitePolicies#fromJson}); {@code null} gives the field's default,
 * which for every policy that can be off is off ({@code "jwt": null} on a public path of a
 * JWT-protected site).
 */
final class PolicyOverrides {

  private PolicyOverrides() {
  }

  static SitePolicies apply(SitePolicies site, JsonObject route) {
    JsonObject named = new JsonObject();
    for (String field : SitePolicies.FIELDS) {
      if (route.getValue(field) != null) {
        named.put(field, route.getValue(field));
      }
    }
    if (SitePolicies.FIELDS.stream().noneMatch(route::containsKey)) {
      return site;
    }
    SitePolicies own = SitePolicies.fromJson(named);
    return new SitePolicies(
        route.containsKey("compression") ? own.compression() : site.compression(),
        route.containsKey("requestHeaders") ? own.requestHeaders() : site.requestHeaders(),
        route.containsKey("responseHeaders") ? own.responseHeaders() : site.responseHeaders(),
        route.containsKey("hsts") ? own.hsts() : site.hsts(),
        route.containsKey("ipAllow") ? own.ipAllow() : site.ipAllow(),
        route.containsKey("ipDeny") ? own.ipDeny() : site.ipDeny(),
        route.containsKey("trustedProxies") ? own.trustedProxies() : site.trustedProxies(),
        route.containsKey("basicAuth") ? own.basicAuth() : site.basicAuth(),
        route.containsKey("rateLimit") ? own.rateLimit() : site.rateLimit(),
        route.containsKey("jwt") ? own.jwt() : site.jwt(),
        route.containsKey("loadBalancing") ? own.loadBalancing() : site.loadBalancing(),
        route.containsKey("retries") ? own.retries() : site.retries(),
        route.containsKey("cache") ? own.cache() : site.cache(),
        route.containsKey("sso") ? own.sso() : site.sso(),
        route.containsKey("proxyProtocol") ? own.proxyProtocol() : site.proxyProtocol());
  }
}
