package dev.portico.admin;

import dev.portico.contract.PasswordHash;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
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

  /**
   * {@code site} with every basic-auth user mapped to a stored hash, its own and each route's
   * ({@code (hidden)} keeps the hash stored for that user in the route at the same position);
   * 400 naming basicAuth.users.
   */
  Future<JsonObject> resolve(JsonObject site, String current) {
    JsonObject stored = current == null ? null : parsed(current);
    List<Future<?>> hashes = new ArrayList<>();
    resolve(site, stored, "", hashes);
    JsonArray routes = site.getValue("routes") instanceof JsonArray array ? array : new JsonArray();
    JsonArray storedRoutes = stored != null && stored.getValue("routes") instanceof JsonArray array ? array : null;
    for (int i = 0; i < routes.size(); i++) {
      if (routes.getValue(i) instanceof JsonObject route) {
        Object before = storedRoutes != null && i < storedRoutes.size() ? storedRoutes.getValue(i) : null;
        resolve(route, before instanceof JsonObject object ? object : null, "routes[" + i + "].", hashes);
      }
    }
    return Future.all(hashes).map(site);
  }

  /** One holder of basicAuth (the site or a route); hashing futures are added to {@code hashes}. */
  private void resolve(JsonObject holder, JsonObject stored, String at, List<Future<?>> hashes) {
    JsonObject users = holder.getValue("basicAuth") instanceof JsonObject auth
        && auth.getValue("users") instanceof JsonObject map ? map : null;
    if (users == null) {
      return;
    }
    JsonObject storedUsers = stored != null && stored.getValue("basicAuth") instanceof JsonObject auth
        && auth.getValue("users") instanceof JsonObject map ? map : null;
    for (String user : List.copyOf(users.fieldNames())) {
      Object value = users.getValue(user);
      if (SitesApi.HIDDEN.equals(value)) {
        if (storedUsers == null || !(storedUsers.getValue(user) instanceof String hash)) {
          throw ApiError.badRequest(at + "basicAuth.users", "no stored password for " + user);
        }
        users.put(user, hash);
      } else if (value instanceof JsonObject password) {
        if (hashes.size() == hashing.capacity()) {
          throw ApiError.badRequest(at + "basicAuth.users", "at most " + hashing.capacity()
              + " plain passwords in one write: send more in later writes (stored ones as \"" + SitesApi.HIDDEN + "\")");
        }
        hashes.add(hashing.run(() -> PasswordHash.hash(password.getString("password")))
            .onSuccess(hash -> users.put(user, hash)));
      } else if (value instanceof String hash && !PasswordHash.isPorticos(hash)) {
        throw ApiError.badRequest(at + "basicAuth.users", "the hash for " + user + " is not "
            + "pbkdf2-sha256$" + PasswordHash.ITERATIONS + "$<16-byte salt>$<32-byte hash> (base64): send "
            + "{\"password\": \"...\"} and Portico hashes it");
      }
    }
  }

  private static JsonObject parsed(String current) {
    try {
      return new JsonObject(current);
    } catch (RuntimeException invalid) {
      return null;
    }
  }
}
