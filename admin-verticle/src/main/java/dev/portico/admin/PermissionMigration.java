package dev.portico.admin;

import dev.portico.contract.AdminKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings users written before the permission model up to date, at every admin start (after
 * {@link UserIdMigration}; it finds nothing to do after the first): the {@code role} field of a
 * user record goes, and {@code "role": "admin"} becomes a grant of {@code admin} at the global
 * scope, in one atomic compare-and-set with its audit entries. {@code "role": "user"} grants
 * nothing: such users keep what they had, their domain grants (stored as before) and the sites
 * they own (owners manage their own sites in this model too). The same step turns a new user
 * created with {@code "role": "admin"} into a global admin, so that is atomic as well.
 */
final class PermissionMigration {

  private static final Logger LOG = LoggerFactory.getLogger(PermissionMigration.class);
  private static final String WHO = "portico";

  /*
   * KEYS[1] user, KEYS[2] its grants, KEYS[3] audit stream.
   * ARGV[1] the user as read, ARGV[2] the user without role, ARGV[3] global grant JSON ('' = none),
   * ARGV[4] who, ARGV[5] audit max length, ARGV[6] user name, ARGV[7] masked before, ARGV[8] masked after.
   * Returns 0 when the user changed meanwhile, 1 when migrated.
   */
  private static final String MIGRATE_SCRIPT = """
      if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
      redis.call('SET', KEYS[1], ARGV[2])
      if ARGV[3] ~= '' and redis.call('HSETNX', KEYS[2], 'global', ARGV[3]) == 1 then
        redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], '*', 'who', ARGV[4], 'action', 'grant.create',
          'resource', 'grant:user:' .. ARGV[6] .. ':global', 'before', '', 'after', ARGV[3])
      end
      redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], '*', 'who', ARGV[4], 'action', 'user.migrate-role',
        'resource', 'user:' .. ARGV[6], 'before', ARGV[7], 'after', ARGV[8])
      return 1
      """;

  private PermissionMigration() {
  }

  static Future<Void> run(Records records) {
    return UserIdMigration.each(records, AdminKeys.USER_INDEX, AdminKeys::user, PermissionMigration::migrate, null);
  }

  /** Migrates one stored user if it still has a {@code role}; 409 when it changed meanwhile. */
  static Future<Void> migrate(Records records, String stored) {
    JsonObject user = new JsonObject(stored);
    if (!user.containsKey("role")) {
      return Future.succeededFuture();
    }
    String name = user.getString("username");
    boolean admin = "admin".equals(user.getValue("role"));
    JsonObject updated = user.copy();
    updated.remove("role");
    String grant = admin ? new JsonObject().put("role", Role.ADMIN.json()).put("grantedBy", WHO)
        .put("grantedAt", System.currentTimeMillis()).encode() : "";
    Request eval = Request.cmd(Command.EVAL).arg(MIGRATE_SCRIPT).arg(3).arg(AdminKeys.user(name))
        .arg(AdminKeys.userGrants(name)).arg(AdminKeys.AUDIT_STREAM).arg(stored).arg(updated.encode()).arg(grant)
        .arg(WHO).arg(Records.AUDIT_MAX_LENGTH).arg(name).arg(Users.masked(user).encode())
        .arg(Users.masked(updated).encode());
    return records.send(eval).compose(done -> {
      if (done.toInteger() == 0) {
        return Future.failedFuture(ApiError.conflict("user " + name + " changed while its role was migrated"));
      }
      LOG.info("Moved the role of user '{}' into the permission model{}", name, admin ? " (global admin)" : "");
      return Future.succeededFuture();
    });
  }
}
