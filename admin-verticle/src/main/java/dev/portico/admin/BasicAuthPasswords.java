package dev.portico.admin;

import dev.portico.contract.PasswordHash;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A site's basic-auth users as a write gives them: {@code {"password": "..."}} (hashed here, on
 * the hashing pool, at most as many in one write as that pool takes at once), {@link
 * SitesApi#HIDDEN} (keep the stored hash: what a read shows), or a hash with exactly Portico's own
 * parameters ({@link PasswordHash#isPorticos}): what a check costs is never the writer's choice.
 */
final class BasicAuthPasswords {

  private final PasswordPool hashing;

  BasicAuthPasswords(PasswordPool hashing) {
    this.hashing = hashing;
  }

  /** {@code site} with every basic-auth user mapped to a stored hash; 400 naming basicAuth.users. */
  Future<JsonObject> resolve(JsonObject site, String current) {
    JsonObject users = site.getJsonObject("basicAuth") == null ? null
        : site.getJsonObject("basicAuth").getJsonObject("users");
    if (users == null) {
      return Future.succeededFuture(site);
    }
    JsonObject stored = current == null ? null : storedUsers(current);
    List<Future<?>> hashes = new ArrayList<>();
    for (String user : List.copyOf(users.fieldNames())) {
      Object value = users.getValue(user);
      if (SitesApi.HIDDEN.equals(value)) {
        if (stored == null || stored.getString(user) == null) {
          return Future.failedFuture(ApiError.badRequest("basicAuth.users", "no stored password for " + user));
        }
        users.put(user, stored.getString(user));
      } else if (value instanceof JsonObject password) {
        if (hashes.size() == hashing.capacity()) {
          return Future.failedFuture(ApiError.badRequest("basicAuth.users", "at most " + hashing.capacity()
              + " plain passwords in one write: send more in later writes (stored ones as \"" + SitesApi.HIDDEN + "\")"));
        }
        hashes.add(hashing.run(() -> PasswordHash.hash(password.getString("password")))
            .onSuccess(hash -> users.put(user, hash)));
      } else if (value instanceof String hash && !PasswordHash.isPorticos(hash)) {
        return Future.failedFuture(ApiError.badRequest("basicAuth.users", "the hash for " + user + " is not "
            + "pbkdf2-sha256$" + PasswordHash.ITERATIONS + "$<16-byte salt>$<32-byte hash> (base64): send "
            + "{\"password\": \"...\"} and Portico hashes it"));
      }
    }
    return Future.all(hashes).map(site);
  }

  private static JsonObject storedUsers(String current) {
    try {
      JsonObject auth = new JsonObject(current).getJsonObject("basicAuth");
      return auth == null ? null : auth.getJsonObject("users");
    } catch (RuntimeException invalid) {
      return null;
    }
  }
}
