package dev.portico.admin;

import dev.portico.contract.DomainPattern;
import dev.portico.contract.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Permissions, stored per subject under {@link RedisKeys#userGrants}: a subject (today a user) has
 * a role at a scope (today one domain: the domain and every name under it). This is the first
 * piece of the identity issue's model — groups as subjects, the roles {@code viewer} and
 * {@code admin}, and the global scope add records of the same shape (a hash per subject, a field
 * per scope), nothing here changes. Each change is atomic with its audit entry, and only lands
 * while the user exists, so a grant never outlives its user (deleting a user drops its grants).
 */
final class Grants {

  /** Grants one subject may hold: every site write of a user reads them all. */
  static final int MAX_PER_SUBJECT = 1000;

  /** The roles a grant gives. */
  enum Role {
    /** Create, edit and delete its own sites (and their certificates) within the scope. */
    MANAGER;

    String json() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Role fromJson(String value) {
      for (Role role : values()) {
        if (role.json().equals(value)) {
          return role;
        }
      }
      throw ApiError.badRequest("role", "role is one of: manager");
    }
  }

  /*
   * KEYS[1] user, KEYS[2] the user's grants, KEYS[3] audit stream.
   * ARGV[1] scope field, ARGV[2] grant JSON ('' = revoke), ARGV[3] who, ARGV[4] audit resource,
   * ARGV[5] audit max length, ARGV[6] most grants per subject.
   * Returns -1 no such user, -2 too many grants, 0 nothing to revoke, 1 created, 2 replaced or revoked.
   */
  private static final String CHANGE_SCRIPT = """
      if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
      local current = redis.call('HGET', KEYS[2], ARGV[1])
      local action
      if ARGV[2] == '' then
        if not current then return 0 end
        redis.call('HDEL', KEYS[2], ARGV[1])
        action = 'grant.delete'
      else
        if not current and redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[6]) then return -2 end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        action = current and 'grant.update' or 'grant.create'
      end
      redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], '*', 'who', ARGV[3], 'action', action,
        'resource', ARGV[4], 'before', current or '', 'after', ARGV[2])
      if current then return 2 end
      return 1
      """;

  private static final String DOMAIN_SCOPE = "domain:";

  private final Records records;

  Grants(Records records) {
    this.records = records;
  }

  /** The grants of {@code username} as the API shows them, ordered by scope. */
  Future<List<JsonObject>> ofUser(String username) {
    // through EVAL, HGETALL answers a flat [field, value, ...] array whichever RESP version the client speaks
    return records.send(Request.cmd(Command.EVAL).arg("return redis.call('HGETALL', KEYS[1])").arg(1)
        .arg(RedisKeys.userGrants(username))).map(response -> {
      List<JsonObject> grants = new ArrayList<>();
      for (int i = 0; response != null && i + 1 < response.size(); i += 2) {
        grants.add(shown(username, response.get(i).toString(), new JsonObject(response.get(i + 1).toString())));
      }
      grants.sort(Comparator.comparing(grant -> grant.getJsonObject("scope").encode()));
      return grants;
    });
  }

  /** The grant of {@code username} at {@code domain}, or {@code null}. */
  Future<JsonObject> find(String username, DomainPattern domain) {
    return ofUser(username).map(grants -> grants.stream()
        .filter(grant -> domain.text().equals(grant.getJsonObject("scope").getString("domain")))
        .findFirst().orElse(null));
  }

  /** The domains where {@code username} is a {@link Role#MANAGER}. */
  Future<List<DomainPattern>> managedDomains(String username) {
    return ofUser(username).map(grants -> grants.stream()
        .filter(grant -> Role.MANAGER.json().equals(grant.getString("role")))
        .map(grant -> DomainPattern.parse(grant.getJsonObject("scope").getString("domain")))
        .toList());
  }

  /** Gives {@code username} {@code role} at {@code domain}; {@code true} when the grant is new. */
  Future<Boolean> put(String who, String username, DomainPattern domain, Role role) {
    JsonObject grant = new JsonObject().put("role", role.json()).put("grantedBy", who)
        .put("grantedAt", System.currentTimeMillis());
    return change(who, username, domain, grant.encode()).map(result -> result == 1);
  }

  /** Revokes the grant of {@code username} at {@code domain}; 404 when there is none. */
  Future<Void> delete(String who, String username, DomainPattern domain) {
    return change(who, username, domain, "").compose(result -> result == 0
        ? Future.failedFuture(ApiError.notFound("user " + username + " has no grant for " + domain))
        : Future.<Void>succeededFuture());
  }

  private Future<Long> change(String who, String username, DomainPattern domain, String grant) {
    String scope = DOMAIN_SCOPE + domain.text();
    Request eval = Request.cmd(Command.EVAL).arg(CHANGE_SCRIPT).arg(3).arg(RedisKeys.user(username))
        .arg(RedisKeys.userGrants(username)).arg(RedisKeys.AUDIT_STREAM)
        .arg(scope).arg(grant).arg(who).arg("grant:user:" + username + ":" + scope)
        .arg(Records.AUDIT_MAX_LENGTH).arg(MAX_PER_SUBJECT);
    return records.send(eval).map(response -> response.toLong()).compose(result -> switch (result.intValue()) {
      case -1 -> Future.failedFuture(ApiError.notFound("no user " + username));
      case -2 -> Future.failedFuture(ApiError.conflict("user " + username + " has " + MAX_PER_SUBJECT
          + " grants already, the most one subject may hold"));
      default -> Future.succeededFuture(result);
    });
  }

  /** A stored grant as the API shows it: who holds it, the role, the scope, who gave it when. */
  private static JsonObject shown(String username, String scope, JsonObject stored) {
    JsonObject scopeJson = scope.startsWith(DOMAIN_SCOPE)
        ? new JsonObject().put("type", "domain").put("domain", scope.substring(DOMAIN_SCOPE.length()))
        : new JsonObject().put("type", scope);
    return new JsonObject().put("subject", new JsonObject().put("type", "user").put("name", username))
        .put("role", stored.getString("role")).put("scope", scopeJson)
        .put("grantedBy", stored.getString("grantedBy")).put("grantedAt", stored.getLong("grantedAt"));
  }
}
