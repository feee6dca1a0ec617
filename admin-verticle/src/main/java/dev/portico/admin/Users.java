package dev.portico.admin;

import dev.portico.contract.AdminKeys;
import dev.portico.contract.PasswordHash;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Users as stored under {@link AdminKeys#user}: {@code {"id", "username", "passwordHash", "createdAt"}}
 * (what a user may do are its {@link Grants} and its {@link Groups}' grants). The id is random,
 * given at creation and never changed: tokens name it, so they die with their user and never pass
 * to a later user of the same name. Passwords are checked on one small {@link PasswordPool} and
 * hashed on another.
 */
final class Users {

  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  static final int MIN_PASSWORD_LENGTH = 12;

  private final Records records;
  private final PasswordPool checks;
  private final PasswordPool hashing;
  /** What an unknown user's password is checked against, so that takes as long as a known user's. */
  private final Future<String> unknownUserHash;

  Users(Records records, PasswordPool checks, PasswordPool hashing) {
    this.records = records;
    this.checks = checks;
    this.hashing = hashing;
    this.unknownUserHash = hashing.run(() -> PasswordHash.hash(PasswordHash.generate()));
  }

  Future<JsonObject> find(String username) {
    return records.get(AdminKeys.user(username)).map(json -> json == null ? null : new JsonObject(json));
  }

  Future<String> hash(String password) {
    return hashing.run(() -> PasswordHash.hash(password));
  }

  /**
   * Whether {@code password} is the user's. For an unknown user a hash is checked all the same,
   * so the answer takes as long and does not tell which user names exist.
   */
  Future<Boolean> verify(JsonObject user, String password) {
    if (user == null) {
      return unknownUserHash.compose(hash -> checks.run(() -> {
        PasswordHash.matches(password, hash);              // the work a known user's check does; the answer is no
        return false;
      }));
    }
    String hash = user.getString("passwordHash");
    return checks.run(() -> PasswordHash.matches(password, hash));
  }

  /**
   * Creates {@code username}; fails with 409 if it exists. An {@code admin} is stored as users were
   * before the permission model and migrated at once ({@link PermissionMigration}), so the user and
   * its global admin grant land in one atomic step.
   */
  Future<JsonObject> create(String who, String username, String password, boolean admin) {
    return hash(password).compose(hash -> {
      JsonObject user = new JsonObject().put("id", newId()).put("username", username)
          .put("passwordHash", hash).put("createdAt", System.currentTimeMillis());
      JsonObject stored = admin ? user.copy().put("role", "admin") : user;
      return records.write(new Records.Write(AdminKeys.user(username), null, stored.encode(),
              List.of(new Records.IndexOp(AdminKeys.USER_INDEX, username, true)), null, null,
              new Records.Audit(who, "user.create", "user:" + username, "", masked(stored).encode())))
          .recover(e -> Future.failedFuture(e instanceof ApiError error && error.status() == 409
              ? ApiError.conflict("user " + username + " exists") : e))
          .compose(v -> admin ? PermissionMigration.migrate(records, stored.encode()) : Future.succeededFuture())
          .map(user);
    });
  }

  /** Replaces the stored user {@code current} by {@code updated}, atomically. */
  Future<Void> update(String who, String action, JsonObject current, JsonObject updated) {
    String username = current.getString("username");
    return records.write(new Records.Write(AdminKeys.user(username), current.encode(), updated.encode(), List.of(),
        null, null, new Records.Audit(who, action, "user:" + username, masked(current).encode(),
            masked(updated).encode())));
  }

  /**
   * Deletes the user and, in the same step, its grants and group memberships: a user of the same
   * name made later starts with none.
   */
  Future<Void> delete(String who, JsonObject current) {
    String username = current.getString("username");
    return records.write(new Records.Write(AdminKeys.user(username), current.encode(), null,
        List.of(new Records.IndexOp(AdminKeys.USER_INDEX, username, false)), null, null,
        new Records.Audit(who, "user.delete", "user:" + username, masked(current).encode(), ""),
        List.of(AdminKeys.userGrants(username), AdminKeys.userGroups(username))));
  }

  /** A user id: 122 random bits. */
  static String newId() {
    return UUID.randomUUID().toString();
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
