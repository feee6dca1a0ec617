package dev.portico.contract;

import static dev.portico.contract.PolicyJson.entries;
import static dev.portico.contract.PolicyJson.isFieldValue;
import static dev.portico.contract.PolicyJson.object;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A site's {@code "basicAuth"} field: users and their PBKDF2 password hashes (as the admin API
 * stores passwords), asked for under {@code realm}.
 */
public record BasicAuthPolicy(String realm, Map<String, String> users) {

  public BasicAuthPolicy {
    users = Map.copyOf(users);
  }

  /** The site's {@code basicAuth} field, or null when it has none. */
  static BasicAuthPolicy fromJson(JsonObject site) {
    JsonObject auth = object(site, "basicAuth");
    if (auth == null) {
      return null;
    }
    JsonObject users = object(auth, "users");
    if (users == null || users.isEmpty()) {
      throw new InvalidSiteException("basicAuth.users", "basicAuth.users maps user names to password hashes");
    }
    entries(users, "basicAuth.users", SiteLimits.MAX_BASIC_AUTH_USERS);
    Map<String, String> hashes = new LinkedHashMap<>();
    for (String user : users.fieldNames()) {
      if (user.isEmpty() || user.length() > SiteLimits.MAX_TEXT_CHARS || user.indexOf(':') >= 0
          || !(users.getValue(user) instanceof String hash) || !hash.startsWith("pbkdf2-sha256$")
          || hash.length() > SiteLimits.MAX_TEXT_CHARS) {
        throw new InvalidSiteException("basicAuth.users", "each user maps to a pbkdf2-sha256 hash (the admin API hashes"
            + " plain passwords given as {\"password\": \"...\"})");
      }
      hashes.put(user, hash);
    }
    Object realm = auth.getValue("realm", "restricted");
    if (!(realm instanceof String text) || !isFieldValue(text) || text.indexOf('"') >= 0) {
      throw new InvalidSiteException("basicAuth.realm", "basicAuth.realm is printable text without quotes");
    }
    return new BasicAuthPolicy(text, hashes);
  }

  JsonObject toJson() {
    return new JsonObject().put("realm", realm).put("users", new JsonObject(new LinkedHashMap<>(users)));
  }
}
