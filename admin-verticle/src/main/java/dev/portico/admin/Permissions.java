package dev.portico.admin;

import dev.portico.contract.AdminKeys;
import dev.portico.contract.DomainPattern;
import dev.portico.contract.PatternOverlap;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one caller may do, read from Redis on every request (so a grant or a revocation applies at
 * once): the grants of the user and of each group it is in, folded into the strongest global role
 * and the strongest role per domain. A domain grant covers the domain and every name under it.
 *
 * @param global the role at the global scope, {@code null} for none
 * @param domains the role per domain (domain grants only)
 * @param groups the groups whose grants count
 */
record Permissions(Role global, Map<DomainPattern, Role> domains, List<String> groups) {

  /** Groups one caller's grants are read from at most (memberships and IdP groups alike). */
  static final int MAX_GROUPS = 100;

  static final Permissions NONE = new Permissions(null, Map.of(), List.of());

  /*
   * KEYS[1] the user's grants (a missing key for IdP users), KEYS[2] its groups (likewise).
   * ARGV[1] group grants key prefix, ARGV[2] most groups, ARGV[3..] more group names (from the IdP).
   * Returns {user grants as [scope, json, ...], group names, grants of each group as [scope, json, ...]}.
   */
  private static final String LOAD_SCRIPT = """
      local limit = tonumber(ARGV[2])
      local groups = redis.call('ZRANGE', KEYS[2], 0, limit - 1)
      for i = 3, #ARGV do
        if #groups < limit then table.insert(groups, ARGV[i]) end
      end
      local grants = {}
      for i, group in ipairs(groups) do grants[i] = redis.call('HGETALL', ARGV[1] .. group) end
      return {redis.call('HGETALL', KEYS[1]), groups, grants}
      """;

  /** The permissions of local user {@code username} (its grants, its groups' grants). */
  static Future<Permissions> ofUser(Records records, String username) {
    return load(records, AdminKeys.userGrants(username), AdminKeys.userGroups(username), List.of());
  }

  /**
   * The permissions an IdP sign-in carries: the grants of the local groups its groups claim names
   * (its own grants and memberships are read from the keys of the empty user name, which no user has).
   */
  static Future<Permissions> ofGroups(Records records, List<String> groups) {
    return load(records, AdminKeys.userGrants(""), AdminKeys.userGroups(""), groups);
  }

  private static Future<Permissions> load(Records records, String grantsKey, String groupsKey, List<String> extra) {
    Request eval = Request.cmd(Command.EVAL).arg(LOAD_SCRIPT).arg(2).arg(grantsKey).arg(groupsKey)
        .arg(AdminKeys.GROUP_GRANTS_PREFIX).arg(MAX_GROUPS);
    extra.stream().limit(MAX_GROUPS).forEach(eval::arg);
    return records.send(eval).map(Permissions::fold);
  }

  private static Permissions fold(Response answer) {
    Role global = null;
    Map<DomainPattern, Role> domains = new LinkedHashMap<>();
    List<Response> hashes = new ArrayList<>();
    hashes.add(answer.get(0));
    List<String> groups = new ArrayList<>();
    for (int i = 0; i < answer.get(1).size(); i++) {
      groups.add(answer.get(1).get(i).toString());
      hashes.add(answer.get(2).get(i));
    }
    for (Response hash : hashes) {
      for (int i = 0; hash != null && i + 1 < hash.size(); i += 2) {
        Grants.Scope scope = Grants.Scope.parseStored(hash.get(i).toString());
        Role role = storedRole(hash.get(i + 1).toString());
        if (scope == null || role == null) {
          continue;                                      // written by someone else: grants nothing
        }
        if (scope.domain() == null) {
          global = Role.max(global, role);
        } else {
          domains.merge(scope.domain(), role, Role::max);
        }
      }
    }
    return new Permissions(global, Map.copyOf(domains), List.copyOf(groups));
  }

  private static Role storedRole(String json) {
    try {
      return Role.parse(new JsonObject(json).getString("role"));
    } catch (RuntimeException invalid) {
      return null;
    }
  }

  /** The strongest role that covers every host of {@code name} (a site pattern or host name). */
  Role at(DomainPattern name) {
    Role role = global;
    for (Map.Entry<DomainPattern, Role> grant : domains.entrySet()) {
      if (PatternOverlap.inside(name, grant.getKey())) {
        role = Role.max(role, grant.getValue());
      }
    }
    return role;
  }

  /** The domains where this caller holds at least {@code role}. */
  List<DomainPattern> domainsWith(Role role) {
    return domains.entrySet().stream().filter(grant -> grant.getValue().includes(role)).map(Map.Entry::getKey)
        .toList();
  }

  /** How {@code /auth/me} shows them. */
  JsonObject json() {
    JsonObject byDomain = new JsonObject();
    domains.forEach((domain, role) -> byDomain.put(domain.text(), role.json()));
    return new JsonObject().put("global", global == null ? null : global.json()).put("domains", byDomain)
        .put("groups", new io.vertx.core.json.JsonArray(groups));
  }
}
