package dev.portico.admin;

import dev.portico.contract.AdminKeys;
import dev.portico.contract.DomainPattern;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Permissions as stored: per subject (a user or a group) a hash under {@link AdminKeys#userGrants}
 * or {@link AdminKeys#groupGrants}, a field per scope ({@code global} or {@code domain:<domain>})
 * holding the grant ({@code role}, {@code grantedBy}, {@code grantedAt}). Each change is atomic
 * with its audit entry, and only lands while the subject exists, so a grant never outlives it
 * (deleting a user or group drops its grants). {@link Permissions} folds them per caller.
 */
final class Grants {

  /** Grants one subject may hold: every request of a member reads them all. */
  static final int MAX_PER_SUBJECT = 1000;

  /** Who holds a grant. */
  record Subject(String type, String name) {

    static Subject user(String name) {
      return new Subject("user", name);
    }

    static Subject group(String name) {
      return new Subject("group", name);
    }

    String recordKey() {
      return "user".equals(type) ? AdminKeys.user(name) : AdminKeys.group(name);
    }

    String grantsKey() {
      return "user".equals(type) ? AdminKeys.userGrants(name) : AdminKeys.groupGrants(name);
    }

    @Override
    public String toString() {
      return type + " " + name;
    }
  }

  /** Where a grant holds: one domain and every name under it, or everything ({@code domain == null}). */
  record Scope(DomainPattern domain) {

    static final Scope GLOBAL = new Scope(null);
    private static final String DOMAIN_FIELD = "domain:";
    private static final String GLOBAL_FIELD = "global";

    /** The scope in a request path: {@code global}, or a domain without wildcards; 400 otherwise. */
    static Scope fromPath(String value) {
      if (GLOBAL_FIELD.equals(value)) {
        return GLOBAL;
      }
      DomainPattern domain;
      try {
        domain = DomainPattern.parse(value);
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest("domain", e.getMessage());
      }
      if (domain.isWildcard()) {
        throw ApiError.badRequest("domain", "a grant is for a domain without wildcards: it covers every name under it");
      }
      return new Scope(domain);
    }

    /** The scope of a stored hash field, or {@code null} when it is none (written by someone else). */
    static Scope parseStored(String field) {
      if (GLOBAL_FIELD.equals(field)) {
        return GLOBAL;
      }
      try {
        return field.startsWith(DOMAIN_FIELD) ? new Scope(DomainPattern.parse(field.substring(DOMAIN_FIELD.length())))
            : null;
      } catch (IllegalArgumentException invalid) {
        return null;
      }
    }

    String field() {
      return domain == null ? GLOBAL_FIELD : DOMAIN_FIELD + domain.text();
    }

    JsonObject json() {
      return domain == null ? new JsonObject().put("type", "global")
          : new JsonObject().put("type", "domain").put("domain", domain.text());
    }

    @Override
    public String toString() {
      return domain == null ? "the global scope" : domain.text();
    }
  }

  /*
   * KEYS[1] the subject's record, KEYS[2] its grants, KEYS[3] audit stream.
   * ARGV[1] scope field, ARGV[2] grant JSON ('' = revoke), ARGV[3] who, ARGV[4] audit resource,
   * ARGV[5] audit max length, ARGV[6] most grants per subject.
   * Returns -1 no such subject, -2 too many grants, 0 nothing to revoke, 1 created, 2 replaced or revoked.
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

  private final Records records;

  Grants(Records records) {
    this.records = records;
  }

  /** The grants of {@code subject} as the API shows them, ordered by scope. */
  Future<List<JsonObject>> of(Subject subject) {
    // through EVAL, HGETALL answers a flat [field, value, ...] array whichever RESP version the client speaks
    return records.send(Request.cmd(Command.EVAL).arg("return redis.call('HGETALL', KEYS[1])").arg(1)
        .arg(subject.grantsKey())).map(response -> {
      List<JsonObject> grants = new ArrayList<>();
      for (int i = 0; response != null && i + 1 < response.size(); i += 2) {
        Scope scope = Scope.parseStored(response.get(i).toString());
        if (scope != null) {
          grants.add(shown(subject, scope, new JsonObject(response.get(i + 1).toString())));
        }
      }
      grants.sort(Comparator.comparing(grant -> grant.getJsonObject("scope").encode()));
      return grants;
    });
  }

  /** The grant of {@code subject} at {@code scope}, or {@code null}. */
  Future<JsonObject> find(Subject subject, Scope scope) {
    return of(subject).map(grants -> grants.stream()
        .filter(grant -> scope.json().equals(grant.getJsonObject("scope"))).findFirst().orElse(null));
  }

  /** Gives {@code subject} {@code role} at {@code scope}; {@code true} when the grant is new. */
  Future<Boolean> put(String who, Subject subject, Scope scope, Role role) {
    JsonObject grant = new JsonObject().put("role", role.json()).put("grantedBy", who)
        .put("grantedAt", System.currentTimeMillis());
    return change(who, subject, scope, grant.encode()).map(result -> result == 1);
  }

  /** Revokes the grant of {@code subject} at {@code scope}; 404 when there is none. */
  Future<Void> delete(String who, Subject subject, Scope scope) {
    return change(who, subject, scope, "").compose(result -> result == 0
        ? Future.failedFuture(ApiError.notFound(subject + " has no grant at " + scope))
        : Future.<Void>succeededFuture());
  }

  private Future<Long> change(String who, Subject subject, Scope scope, String grant) {
    Request eval = Request.cmd(Command.EVAL).arg(CHANGE_SCRIPT).arg(3).arg(subject.recordKey())
        .arg(subject.grantsKey()).arg(AdminKeys.AUDIT_STREAM)
        .arg(scope.field()).arg(grant).arg(who).arg("grant:" + subject.type() + ":" + subject.name() + ":" + scope.field())
        .arg(Records.AUDIT_MAX_LENGTH).arg(MAX_PER_SUBJECT);
    return records.send(eval).map(response -> response.toLong()).compose(result -> switch (result.intValue()) {
      case -1 -> Future.failedFuture(ApiError.notFound("no " + subject));
      case -2 -> Future.failedFuture(ApiError.conflict(subject + " has " + MAX_PER_SUBJECT
          + " grants already, the most one subject may hold"));
      default -> Future.succeededFuture(result);
    });
  }

  /** A stored grant as the API shows it: who holds it, the role, the scope, who gave it when. */
  private static JsonObject shown(Subject subject, Scope scope, JsonObject stored) {
    return new JsonObject().put("subject", new JsonObject().put("type", subject.type()).put("name", subject.name()))
        .put("role", stored.getString("role")).put("scope", scope.json())
        .put("grantedBy", stored.getString("grantedBy")).put("grantedAt", stored.getLong("grantedAt"));
  }
}
