package dev.portico.contract;

/**
 * The Redis keys of the admin API's own state: users, groups, grants, API tokens, sign-ins and
 * the audit stream. The README's Redis schema lists the same keys.
 */
public final class AdminKeys {

  /** {@code portico:user:<name>}: an admin API user (JSON with a PBKDF2 password hash). */
  public static final String USER_PREFIX = "portico:user:";

  /** Sorted set of every user name. */
  public static final String USER_INDEX = "portico:user-index";

  /**
   * {@code portico:grants:user:<name>}: a hash of the permissions granted to one user, a field per
   * scope ({@code domain:<domain>} or {@code global}) holding the grant's JSON ({@code role},
   * {@code grantedBy}, {@code grantedAt}). Deleted with the user.
   */
  public static final String USER_GRANTS_PREFIX = "portico:grants:user:";

  /** {@code portico:grants:group:<name>}: the same hash for a group. Deleted with the group. */
  public static final String GROUP_GRANTS_PREFIX = "portico:grants:group:";

  /** {@code portico:group:<name>}: a group of local users (JSON: name, description, createdAt). */
  public static final String GROUP_PREFIX = "portico:group:";

  /** Sorted set of every group name. */
  public static final String GROUP_INDEX = "portico:group-index";

  /**
   * {@code portico:groups-of-user:<name>}: sorted set of the groups a user is in; what counts for
   * permissions. Deleted with the user, so a later user of the same name is in no group.
   */
  public static final String USER_GROUPS_PREFIX = "portico:groups-of-user:";

  /**
   * {@code portico:group-members:<name>}: sorted set of a group's member names, for listing; a
   * name counts only while {@link #USER_GROUPS_PREFIX} of that user names the group.
   */
  public static final String GROUP_MEMBERS_PREFIX = "portico:group-members:";

  /**
   * {@code portico:oidc-login:<state>}: one admin sign-in through OIDC under way (nonce, PKCE
   * verifier, return path), with a TTL; taken (deleted) by the callback, so a state works once.
   */
  public static final String OIDC_LOGIN_PREFIX = "portico:oidc-login:";

  /**
   * {@code portico:oidc-handoff:<code>}: the admin token of a console sign-in through OIDC,
   * waiting (60 s) for the console page to take it once with the code its URL fragment named.
   */
  public static final String OIDC_HANDOFF_PREFIX = "portico:oidc-handoff:";

  /**
   * {@code portico:oidc-id-token:<jti>}: the IdP's ID token of an admin OIDC sign-in, kept as long
   * as the admin token with that id, to end the IdP session at sign-out ({@code id_token_hint}).
   */
  public static final String OIDC_ID_TOKEN_PREFIX = "portico:oidc-id-token:";

  /** {@code portico:api-token:<id>}: a named, scoped API token (JSON with the token's SHA-256). */
  public static final String API_TOKEN_PREFIX = "portico:api-token:";

  /** Sorted set of every API token id. */
  public static final String API_TOKEN_INDEX = "portico:api-token-index";

  /** {@code portico:revoked-jwt:<jti>}: a logged-out JWT, kept until the token would expire. */
  public static final String REVOKED_JWT_PREFIX = "portico:revoked-jwt:";

  /**
   * {@code portico:login-failures:<user|addr>:<value>}: failed logins counted over a window (with
   * a TTL), to slow down password guessing.
   */
  public static final String LOGIN_FAILURES_PREFIX = "portico:login-failures:";

  /** The admin API's JWT signing key (generated once, sealed), when none is configured. */
  public static final String JWT_SIGNING_KEY = "portico:jwt-signing-key";

  /** A stream of every change made through the admin API (who, what, when, before/after). */
  public static final String AUDIT_STREAM = "portico:audit";

  public static String user(String name) {
    return USER_PREFIX + name;
  }

  public static String userGrants(String user) {
    return USER_GRANTS_PREFIX + user;
  }

  public static String groupGrants(String group) {
    return GROUP_GRANTS_PREFIX + group;
  }

  public static String group(String name) {
    return GROUP_PREFIX + name;
  }

  public static String userGroups(String user) {
    return USER_GROUPS_PREFIX + user;
  }

  public static String groupMembers(String group) {
    return GROUP_MEMBERS_PREFIX + group;
  }

  public static String oidcLogin(String state) {
    return OIDC_LOGIN_PREFIX + state;
  }

  public static String oidcHandoff(String code) {
    return OIDC_HANDOFF_PREFIX + code;
  }

  public static String oidcIdToken(String jti) {
    return OIDC_ID_TOKEN_PREFIX + jti;
  }

  public static String apiToken(String id) {
    return API_TOKEN_PREFIX + id;
  }

  public static String revokedJwt(String jti) {
    return REVOKED_JWT_PREFIX + jti;
  }

  private AdminKeys() {
  }
}
