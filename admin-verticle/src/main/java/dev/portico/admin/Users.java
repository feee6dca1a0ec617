package dev.portico.admin;

import dev.portico.contract.PasswordHash;
import dev.portico.contract.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Users as stored under {@link RedisKeys#user}: {@code {"username", "role", "passwordHash",
 * "createdAt"}}. Hashing and checking passwords runs on a worker thread.
 */
final class Users {

  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  static final int MIN_PASSWORD_LENGTH = 12;

  private final Vertx vertx;
  private final Records records;
  private volatile String unknownUserHash;

  Users(Vertx vertx, Records records) {
    this.vertx = vertx;
    this.records = records;
  }

  Future<JsonObject> find(String username) {
    return records.get(RedisKeys.user(username)).map(json -> json == null ? null : new JsonObject(json));
  }

  Future<String> hash(String password) {
    return vertx.executeBlocking(() -> PasswordHash.hash(password), false);
  }

  /**
   * Whether {@code password} is the user's. For an unknown user a hash is checked all the same,
   * so the answer takes as long and does not tell which user names exist.
   */
  Future<Boolean> verify(JsonObject user, String password) {
    return vertx.executeBlocking(() -> {
      if (user == null) {
        if (unknownUserHash == null) {
          unknownUserHash = PasswordHash.hash(PasswordHash.generate());
        }
        PasswordHash.matches(password, unknownUserHash);
        return false;
      }
      return PasswordHash.matches(password, user.getString("passwordHash"));
    }, false);
  }

  /** Creates {@code username}; fails with 409 if it exists. */
  Future<JsonObject> create(String who, String username, String password, Principal.Role role) {
    return hash(password).compose(hash -> {
      JsonObject user = new JsonObject().put("username", username).put("role", role.json())
          .put("passwordHash", hash).put("createdAt", System.currentTimeMillis());
      return records.write(new Records.Write(RedisKeys.user(username), null, user.encode(),
              List.of(new Records.IndexOp(RedisKeys.USER_INDEX, username, true)), null, null,
              new Records.Audit(who, "user.create", "user:" + username, "", masked(user).encode())))
          .recover(e -> Future.failedFuture(e instanceof ApiError error && error.status() == 409
              ? ApiError.conflict("user " + username + " exists") : e))
          .map(user);
    });
  }

  /** Replaces the stored user {@code current} by {@code updated}, atomically. */
  Future<Void> update(String who, String action, JsonObject current, JsonObject updated) {
    String username = current.getString("username");
    return records.write(new Records.Write(RedisKeys.user(username), current.encode(), updated.encode(), List.of(),
        null, null, new Records.Audit(who, action, "user:" + username, masked(current).encode(),
            masked(updated).encode())));
  }

  /** Deletes the user and, in the same step, its grants: a user of the same name made later starts with none. */
  Future<Void> delete(String who, JsonObject current) {
    String username = current.getString("username");
    return records.write(new Records.Write(RedisKeys.user(username), current.encode(), null,
        List.of(new Records.IndexOp(RedisKeys.USER_INDEX, username, false)), null, null,
        new Records.Audit(who, "user.delete", "user:" + username, masked(current).encode(), ""),
        List.of(RedisKeys.userGrants(username))));
  }

  /** What the API shows of a user: never the password hash. */
  static JsonObject masked(JsonObject user) {
    JsonObject shown = user.copy();
    shown.remove("passwordHash");
    return shown;
  }

  static void checkName(String username) {
    if (username == null || !NAME.matcher(username).matches()) {
      throw ApiError.badRequest("username", "a user name is 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
    }
  }

  static void checkPassword(String field, String password) {
    if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
      throw ApiError.badRequest(field, "a password has at least " + MIN_PASSWORD_LENGTH + " characters");
    }
  }
}
