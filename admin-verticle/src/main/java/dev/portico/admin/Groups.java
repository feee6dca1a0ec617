package dev.portico.admin;

import dev.portico.contract.AdminKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups of local users as stored: the record under {@link AdminKeys#group}, the groups of each
 * user under {@link AdminKeys#userGroups} (what permissions read; dropped with the user) and the
 * members of each group under {@link AdminKeys#groupMembers} (for listing). Every change is one
 * Lua script together with its audit entry. Group names are matched by an IdP's groups claim too.
 */
final class Groups {

  /** Members one group may have, so listing it and deleting it stay bounded. */
  static final int MAX_MEMBERS = 10_000;

  /*
   * KEYS[1] group, KEYS[2] user, KEYS[3] the user's groups, KEYS[4] the group's members, KEYS[5] audit.
   * ARGV[1] group, ARGV[2] user, ARGV[3] add ('1') or remove ('0'), ARGV[4] who, ARGV[5] audit max length,
   * ARGV[6] most groups per user, ARGV[7] most members per group.
   * Returns -1 no group, -2 no user, -3 too many groups, -4 too many members, 0 nothing to do, 1 done.
   */
  private static final String MEMBER_SCRIPT = """
      if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
      local member = redis.call('ZSCORE', KEYS[3], ARGV[1])
      if ARGV[3] == '1' then
        if redis.call('EXISTS', KEYS[2]) == 0 then return -2 end
        if member then return 0 end
        if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[6]) then return -3 end
        if redis.call('ZCARD', KEYS[4]) >= tonumber(ARGV[7]) then return -4 end
        redis.call('ZADD', KEYS[3], 0, ARGV[1])
        redis.call('ZADD', KEYS[4], 0, ARGV[2])
      else
        if not member then return 0 end
        redis.call('ZREM', KEYS[3], ARGV[1])
        redis.call('ZREM', KEYS[4], ARGV[2])
      end
      redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[5], '*', 'who', ARGV[4],
        'action', ARGV[3] == '1' and 'group.member.add' or 'group.member.remove',
        'resource', 'group:' .. ARGV[1] .. ':member:' .. ARGV[2], 'before', '', 'after', '')
      return 1
      """;

  /*
   * KEYS[1] group, KEYS[2] its members, KEYS[3] its grants, KEYS[4] group index, KEYS[5] audit.
   * ARGV[1] group, ARGV[2] user groups key prefix, ARGV[3] who, ARGV[4] audit max length.
   * Returns 0 when there is no such group, 1 when it is deleted with its grants and memberships.
   */
  private static final String DELETE_SCRIPT = """
      local current = redis.call('GET', KEYS[1])
      if not current then return 0 end
      for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
        redis.call('ZREM', ARGV[2] .. member, ARGV[1])
      end
      redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
      redis.call('ZREM', KEYS[4], ARGV[1])
      redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[4], '*', 'who', ARGV[3], 'action', 'group.delete',
        'resource', 'group:' .. ARGV[1], 'before', current, 'after', '')
      return 1
      """;

  /* KEYS[1] the group's members; ARGV[1] group, ARGV[2] user groups key prefix: the members that count. */
  private static final String MEMBERS_SCRIPT = """
      local members = {}
      for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
        if redis.call('ZSCORE', ARGV[2] .. member, ARGV[1]) then table.insert(members, member) end
      end
      return members
      """;

  private final Records records;

  Groups(Records records) {
    this.records = records;
  }

  Future<JsonObject> find(String name) {
    return records.get(AdminKeys.group(name)).map(json -> json == null ? null : new JsonObject(json));
  }

  /** Creates group {@code name}; 409 if it exists. */
  Future<JsonObject> create(String who, String name, String description) {
    JsonObject group = new JsonObject().put("name", name).put("description", description)
        .put("createdAt", System.currentTimeMillis());
    return records.write(new Records.Write(AdminKeys.group(name), null, group.encode(),
            List.of(new Records.IndexOp(AdminKeys.GROUP_INDEX, name, true)), null, null,
            new Records.Audit(who, "group.create", "group:" + name, "", group.encode())))
        .recover(e -> Future.failedFuture(e instanceof ApiError error && error.status() == 409
            ? ApiError.conflict("group " + name + " exists") : e))
        .map(group);
  }

  /** Deletes the group, its grants and its memberships in one step; 404 when there is none. */
  Future<Void> delete(String who, String name) {
    Request eval = Request.cmd(Command.EVAL).arg(DELETE_SCRIPT).arg(5).arg(AdminKeys.group(name))
        .arg(AdminKeys.groupMembers(name)).arg(AdminKeys.groupGrants(name)).arg(AdminKeys.GROUP_INDEX)
        .arg(AdminKeys.AUDIT_STREAM).arg(name).arg(AdminKeys.USER_GROUPS_PREFIX).arg(who).arg(Records.AUDIT_MAX_LENGTH);
    return records.send(eval).compose(done -> done.toInteger() == 1 ? Future.<Void>succeededFuture()
        : Future.failedFuture(ApiError.notFound("no group " + name)));
  }

  /** The group's members, by name. */
  Future<List<String>> members(String name) {
    return records.send(Request.cmd(Command.EVAL).arg(MEMBERS_SCRIPT).arg(1).arg(AdminKeys.groupMembers(name))
        .arg(name).arg(AdminKeys.USER_GROUPS_PREFIX)).map(Groups::strings);
  }

  /** Adds ({@code add}) or removes {@code username}; {@code true} when that changed anything. */
  Future<Boolean> member(String who, String group, String username, boolean add) {
    Request eval = Request.cmd(Command.EVAL).arg(MEMBER_SCRIPT).arg(5).arg(AdminKeys.group(group))
        .arg(AdminKeys.user(username)).arg(AdminKeys.userGroups(username)).arg(AdminKeys.groupMembers(group))
        .arg(AdminKeys.AUDIT_STREAM).arg(group).arg(username).arg(add ? "1" : "0").arg(who)
        .arg(Records.AUDIT_MAX_LENGTH).arg(Permissions.MAX_GROUPS).arg(MAX_MEMBERS);
    return records.send(eval).compose(result -> switch (result.toInteger()) {
      case -1 -> Future.failedFuture(ApiError.notFound("no group " + group));
      case -2 -> Future.failedFuture(ApiError.notFound("no user " + username));
      case -3 -> Future.failedFuture(ApiError.conflict(username + " is in " + Permissions.MAX_GROUPS
          + " groups already, the most one user may be in"));
      case -4 -> Future.failedFuture(ApiError.conflict(group + " has " + MAX_MEMBERS
          + " members already, the most one group may have"));
      default -> Future.succeededFuture(result.toInteger() == 1);
    });
  }

  private static List<String> strings(Response array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.toString()));
    return values;
  }
}
