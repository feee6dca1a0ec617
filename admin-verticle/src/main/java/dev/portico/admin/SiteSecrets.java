package dev.portico.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The write-only parts of a site — basic-auth password hashes and JWT key secrets, the site's own
 * and each route's — shown as {@link SitesApi#HIDDEN} on reads and in the audit, and restored
 * from the stored site when a write sends that mask back.
 */
final class SiteSecrets {

  private SiteSecrets() {
  }

  /** A site as the API shows it, or the stored text as it is when it is not a JSON object. */
  static Object masked(String stored) {
    JsonObject site;
    try {
      site = new JsonObject(stored);
    } catch (RuntimeException invalid) {
      return stored;
    }
    for (JsonObject holder : holders(site)) {
      JsonObject users = holder.getValue("basicAuth") instanceof JsonObject auth
          && auth.getValue("users") instanceof JsonObject map ? map : null;
      if (users != null) {
        users.fieldNames().forEach(user -> users.put(user, SitesApi.HIDDEN));
      }
      JsonArray keys = jwtKeys(holder);
      if (keys != null) {
        keys.forEach(key -> {
          if (key instanceof JsonObject object && object.getValue("secret") != null) {
            object.put("secret", SitesApi.HIDDEN);
          }
        });
      }
    }
    return site;
  }

  /**
   * JWT key secrets sent back as {@link SitesApi#HIDDEN} keep the stored secret of the key at that
   * position, of the site or of the route at the same position; 400 when there is none.
   */
  static void restoreJwtSecrets(JsonObject site, String current) {
    JsonObject stored;
    try {
      stored = current == null ? null : new JsonObject(current);
    } catch (RuntimeException invalid) {
      stored = null;
    }
    List<JsonObject> holders = holders(site);
    List<JsonObject> storedHolders = stored == null ? List.of() : holders(stored);
    for (int h = 0; h < holders.size(); h++) {
      JsonArray keys = jwtKeys(holders.get(h));
      if (keys == null) {
        continue;
      }
      JsonArray before = h < storedHolders.size() ? jwtKeys(storedHolders.get(h)) : null;
      String at = h == 0 ? "" : "routes[" + (h - 1) + "].";
      for (int i = 0; i < keys.size(); i++) {
        if (keys.getValue(i) instanceof JsonObject key && SitesApi.HIDDEN.equals(key.getValue("secret"))) {
          Object storedKey = before != null && i < before.size() ? before.getValue(i) : null;
          if (!(storedKey instanceof JsonObject object) || !(object.getValue("secret") instanceof String secret)) {
            throw ApiError.badRequest(at + "jwt.keys", "no stored secret for key " + i);
          }
          key.put("secret", secret);
        }
      }
    }
  }

  /** The site, then each of its routes in order (a route that is not an object holds nothing: an empty one). */
  private static List<JsonObject> holders(JsonObject site) {
    List<JsonObject> holders = new ArrayList<>();
    holders.add(site);
    if (site.getValue("routes") instanceof JsonArray routes) {
      routes.forEach(route -> holders.add(route instanceof JsonObject object ? object : new JsonObject()));
    }
    return holders;
  }

  private static JsonArray jwtKeys(JsonObject holder) {
    return holder.getValue("jwt") instanceof JsonObject jwt && jwt.getValue("keys") instanceof JsonArray keys ? keys : null;
  }
}
