package dev.portico.admin;

import dev.portico.contract.BackendTls;
import dev.portico.contract.SecretBox;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The write-only parts of a site — basic-auth password hashes and JWT key secrets, the site's own
 * and each route's, and the mTLS client key of its {@code backendTls} (sealed in Redis) — shown as {@link SitesApi#HIDDEN} on reads and in the audit, and restored
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
    if (site.getValue("backendTls") instanceof JsonObject tls && tls.getValue("clientKeyPem") != null) {
      tls.put("clientKeyPem", SitesApi.HIDDEN);
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

  /**
   * The mTLS client key of {@code backendTls}: {@link SitesApi#HIDDEN} keeps the stored (sealed)
   * key; a key in a stored form is refused (a key is sent as PEM, and sealed here for this site only).
   */
  static void restoreClientKey(JsonObject site, String current) {
    if (!(site.getValue("backendTls") instanceof JsonObject tls) || !(tls.getValue("clientKeyPem") instanceof String key)) {
      return;
    }
    if (SitesApi.HIDDEN.equals(key)) {
      Object stored = storedClientKey(current);
      if (!(stored instanceof String sealed)) {
        throw ApiError.badRequest("backendTls.clientKeyPem", "no stored client key to keep");
      }
      tls.put("clientKeyPem", sealed);
    } else if (SecretBox.isStored(key)) {
      throw ApiError.badRequest("backendTls.clientKeyPem", "backendTls.clientKeyPem is a PEM private key");
    }
  }

  /** Seals a PEM client key of the site as stored ({@code json}) for the site's Redis key. */
  static void sealClientKey(JsonObject json, SecretBox box, String redisKey) {
    if (json.getValue("backendTls") instanceof JsonObject tls && tls.getValue("clientKeyPem") instanceof String key
        && BackendTls.isPlainKey(key)) {
      tls.put("clientKeyPem", box.seal(key, redisKey));
    }
  }

  private static Object storedClientKey(String current) {
    try {
      return current != null && new JsonObject(current).getValue("backendTls") instanceof JsonObject tls
          ? tls.getValue("clientKeyPem") : null;
    } catch (RuntimeException invalid) {
      return null;
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
