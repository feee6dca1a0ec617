package dev.portico.contract;

import io.vertx.core.json.JsonObject;

/**
 * The answer to a lookup: the pattern of the site that serves a host and that site's JSON as
 * stored in Redis (parsed by whoever uses it, so that one broken site cannot break the lookup).
 */
public record RouteMatch(String pattern, String siteJson) {

  public JsonObject toJson() {
    return new JsonObject().put("pattern", pattern).put("site", siteJson);
  }

  public static RouteMatch fromJson(JsonObject json) {
    return new RouteMatch(json.getString("pattern"), json.getString("site"));
  }
}
