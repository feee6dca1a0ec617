package dev.portico.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A site's (or route's) {@code sso}: visitors sign in through the OIDC provider {@code provider}
 * (an admin-API record, {@link SsoProviderRecord}) before they reach the backend.
 *
 * <pre>{"provider": "corp", "allowUsers": ["alice", "bob@example.com"], "allowGroups": ["web-team"],
 *  "claimHeaders": {"email": "X-User-Email", "groups": "X-User-Groups"}}</pre>
 *
 * @param allowUsers   user names or e-mail addresses that may pass, lower case (empty, with
 *                     {@code allowGroups} empty too: any signed-in user)
 * @param allowGroups  groups (from the provider's groups claim) whose members may pass, lower case
 * @param claimHeaders ID-token claim name to the request header the backend gets it in; whatever a
 *                     client sends under those names is dropped
 */
public record SsoPolicy(String provider, List<String> allowUsers, List<String> allowGroups,
    Map<String, String> claimHeaders) {

  public static final int MAX_ALLOWED = 1000;
  /** Headers the edge frames itself: a claim may not be passed in them. */
  private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding",
      "connection", "upgrade", "te", "trailer", "keep-alive", "proxy-connection", "cookie");

  public SsoPolicy {
    allowUsers = List.copyOf(allowUsers);
    allowGroups = List.copyOf(allowGroups);
    claimHeaders = Map.copyOf(claimHeaders);
  }

  /** Whether any signed-in user passes. */
  public boolean allowsEveryone() {
    return allowUsers.isEmpty() && allowGroups.isEmpty();
  }

  /** Whether the user {@code name} (or {@code email}), member of {@code groups}, passes; compared case-insensitively. */
  public boolean allows(String name, String email, List<String> groups) {
    if (allowsEveryone()) {
      return true;
    }
    if (name != null && allowUsers.contains(name.toLowerCase(Locale.ROOT))
        || email != null && allowUsers.contains(email.toLowerCase(Locale.ROOT))) {
      return true;
    }
    return groups.stream().anyMatch(group -> allowGroups.contains(group.toLowerCase(Locale.ROOT)));
  }

  /** @throws InvalidSiteException when {@code sso} is not a valid policy */
  static SsoPolicy fromJson(Object sso) {
    if (sso == null) {
      return null;
    }
    if (!(sso instanceof JsonObject json)) {
      throw new InvalidSiteException("sso", "sso must be an object");
    }
    if (!(json.getValue("provider") instanceof String provider) || !SsoProviderRecord.ID.matcher(provider).matches()) {
      throw new InvalidSiteException("sso.provider", "sso.provider is the id of an SSO provider (1-64 of a-z, 0-9, '_', '-')");
    }
    for (String field : json.fieldNames()) {
      if (!Set.of("provider", "allowUsers", "allowGroups", "claimHeaders").contains(field)) {
        throw new InvalidSiteException("sso." + field, "sso has provider, allowUsers, allowGroups and claimHeaders");
      }
    }
    return new SsoPolicy(provider, names(json, "allowUsers"), names(json, "allowGroups"), claimHeaders(json));
  }

  private static List<String> names(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array) || array.size() > MAX_ALLOWED) {
      throw new InvalidSiteException("sso." + field, "sso." + field + " is an array of at most " + MAX_ALLOWED + " names");
    }
    List<String> names = new ArrayList<>();
    for (Object name : array) {
      if (!(name instanceof String text) || text.isEmpty() || text.length() > 256 || !FieldSyntax.isFieldValue(text)) {
        throw new InvalidSiteException("sso." + field, "sso." + field + " holds names of 1 to 256 printable characters");
      }
      names.add(text.toLowerCase(Locale.ROOT));
    }
    return names.stream().distinct().toList();
  }

  private static Map<String, String> claimHeaders(JsonObject json) {
    Object value = json.getValue("claimHeaders");
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof JsonObject claims) || claims.size() > SiteLimits.MAX_CLAIM_HEADERS) {
      throw new InvalidSiteException("sso.claimHeaders", "sso.claimHeaders maps at most "
          + SiteLimits.MAX_CLAIM_HEADERS + " claim names to header names");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String claim : claims.fieldNames()) {
      if (claim.isEmpty() || claim.length() > 256 || !(claims.getValue(claim) instanceof String header)
          || header.length() > 256 || !FieldSyntax.isToken(header)
          || RESERVED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
        throw new InvalidSiteException("sso.claimHeaders", "sso.claimHeaders maps claim names to header names"
            + " (not one the edge frames: " + String.join(", ", new java.util.TreeSet<>(RESERVED_HEADERS)) + ")");
      }
      headers.put(claim, header);
    }
    return headers;
  }

  JsonObject toJson() {
    return new JsonObject().put("provider", provider).put("allowUsers", new JsonArray(allowUsers))
        .put("allowGroups", new JsonArray(allowGroups)).put("claimHeaders", new JsonObject(new LinkedHashMap<>(claimHeaders)));
  }
}
