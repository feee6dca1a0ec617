package dev.portico.contract;

import io.vertx.core.json.JsonObject;

/**
 * A change to the sites: one pattern written or deleted, or, with a {@code null} pattern, any
 * number of them (after a resynchronisation, when individual changes may have been missed).
 */
public record SiteChange(String pattern) {

  public static final SiteChange ALL = new SiteChange(null);

  public boolean isAll() {
    return pattern == null;
  }

  public JsonObject toJson() {
    return isAll() ? new JsonObject().put("all", true) : new JsonObject().put("pattern", pattern);
  }

  public static SiteChange fromJson(JsonObject json) {
    return json.getBoolean("all", false) ? ALL : new SiteChange(json.getString("pattern"));
  }
}
