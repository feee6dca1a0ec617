package dev.portico.contract;

/**
 * Every Redis key and channel Portico reads or writes. The README lists the same schema.
 */
public final class RedisKeys {

  /** {@code portico:site:<pattern>}: a string holding the site's JSON, written by users. */
  public static final String SITE_PREFIX = "portico:site:";

  /**
   * {@code portico:route:<host>}: a string holding the pattern of the site that serves
   * {@code host}, written by lookup verticles with a TTL ({@link #ROUTE_TTL_SECONDS}).
   */
  public static final String ROUTE_PREFIX = "portico:route:";

  /**
   * {@code portico:routes-by-site:<pattern>}: a sorted set of the hosts cached as served by
   * {@code pattern}, scored by the expiry time (epoch seconds) of their route key. When a more
   * specific site appears, lookup verticles find here the cached routes it takes over.
   */
  public static final String ROUTES_BY_SITE_PREFIX = "portico:routes-by-site:";

  /** Pub/sub channel: a message is the pattern of a site that was written or deleted. */
  public static final String SITE_CHANGES_CHANNEL = "portico:site-changes";

  /**
   * {@code portico:cert:<name>}: a string holding a {@link StoredCertificate} as JSON, for an
   * exact name ({@code shop.example.com}) or a wildcard ({@code *.example.com}). Written by cert
   * verticles (ACME) and by the admin API (manual uploads).
   */
  public static final String CERT_PREFIX = "portico:cert:";

  /**
   * {@code portico:cert-state:<name>}: a string holding the JSON state of the last issuance or
   * renewal attempt for a name (status, error, attempts, next attempt), written by cert
   * verticles and read by the admin API.
   */
  public static final String CERT_STATE_PREFIX = "portico:cert-state:";

  /** The fallback certificate (a {@link StoredCertificate}), served when no other one fits. */
  public static final String FALLBACK_CERT = "portico:cert-fallback";

  /**
   * {@code portico:acme-http01:<token>}: the key authorization an ACME HTTP-01 challenge expects
   * at {@code /.well-known/acme-challenge/<token>}, with a TTL, so every edge can answer it.
   */
  public static final String ACME_HTTP01_PREFIX = "portico:acme-http01:";

  /**
   * {@code portico:lock:cert:<name>}: a lease (SET NX PX) held by the one cert verticle in the
   * cluster that is issuing for {@code name}; its value names the holder.
   */
  public static final String CERT_LOCK_PREFIX = "portico:lock:cert:";

  /**
   * {@code portico:lock:dns01:<zone>}: a lease held while a DNS-01 challenge uses the one TXT value
   * a provider such as DuckDNS keeps for {@code zone}, so two issuances never overwrite (or clear)
   * each other's value.
   */
  public static final String DNS01_ZONE_LOCK_PREFIX = "portico:lock:dns01:";

  /**
   * The lease (SET NX PX, renewed while held) of the cluster's one renewal scheduler; its value
   * names the holding node.
   */
  public static final String RENEWAL_SCHEDULER_LEASE = "portico:lease:renewal-scheduler";

  /**
   * The ACME account's key pair (PEM, {@link SecretBox#seal sealed} with this key as context),
   * created by the first cert verticle and shared by all, so the cluster has one account.
   */
  public static final String ACME_ACCOUNT = "portico:acme-account";

  /** Pub/sub channel: a message is the name of a certificate that was written or deleted. */
  public static final String CERT_CHANGES_CHANNEL = "portico:cert-changes";

  /**
   * A sorted set (all scores 0, so ordered by name) of every site pattern, written by the admin
   * API in the same transaction as the site, for paginated listing by prefix.
   */
  public static final String SITE_INDEX = "portico:site-index";

  /**
   * A sorted set (all scores 0) of every site pattern with its labels in reverse order
   * ({@code *.corp.test} is {@code test.corp.*}), written with {@link #SITE_INDEX}: the sites that
   * may share a host with a pattern are a few ranges of it (those under the pattern's literal
   * suffix, and those with a wildcard where that suffix is still being read), not every site.
   */
  public static final String SITE_SUFFIX_INDEX = "portico:site-index-by-suffix";

  /**
   * A sorted set (all scores 0) of every certificate name under {@link #CERT_PREFIX}, written
   * with the certificate by the admin API and the cert verticles, so certificates are listed by
   * name without a SCAN of the keyspace.
   */
  public static final String CERT_INDEX = "portico:cert-index";

  /**
   * The version of the indexes built from the keys themselves ({@link #SITE_INDEX},
   * {@link #SITE_SUFFIX_INDEX}, the owners' indexes, {@link #CERT_INDEX}): set by the first admin
   * node that finished building them from data written before they existed.
   */
  public static final String INDEX_VERSION = "portico:index-version";

  /** {@code portico:sites-by-owner:<user>}: the same index, for the sites one user owns. */
  public static final String SITES_BY_OWNER_PREFIX = "portico:sites-by-owner:";

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

  /** {@code portico:dns-provider:<id>}: a DNS provider for DNS-01 (credentials sealed). */
  public static final String DNS_PROVIDER_PREFIX = "portico:dns-provider:";

  /** Sorted set of every DNS provider id. */
  public static final String DNS_PROVIDER_INDEX = "portico:dns-provider-index";

  /** A stream of every change made through the admin API (who, what, when, before/after). */
  /** An SSO provider's JSON ({@link SsoProviderRecord}); its client secret sealed. */
  public static final String SSO_PROVIDER_PREFIX = "portico:sso-provider:";

  /** Sorted set of every SSO provider id. */
  public static final String SSO_PROVIDER_INDEX = "portico:sso-provider-index";

  /** The {@code state} of a sign-in at the edge, set (NX) by its first callback: a state works once; expires. */
  public static final String SSO_LOGIN_PREFIX = "portico:sso-login:";

  /** A signed-in visitor's session at the edge, by its random id (the cookie's value); expires. */
  public static final String SSO_SESSION_PREFIX = "portico:sso-session:";

  public static final String AUDIT_STREAM = "portico:audit";

  /**
   * {@code portico:ratelimit:<pattern>:<key>:<window>}: requests counted in one fixed window of a
   * site's rate limit, for one client address or header value; expires with the window. A path
   * route counts under {@code <pattern>#<route id>} ({@link PathRoute#id}) instead of the pattern.
   */
  public static final String RATE_LIMIT_PREFIX = "portico:ratelimit:";

  /** How long a cached route lives in Redis when nothing invalidates it first. */
  public static final int ROUTE_TTL_SECONDS = 3600;

  private RedisKeys() {
  }

  public static String site(String pattern) {
    return SITE_PREFIX + pattern;
  }

  public static String route(String host) {
    return ROUTE_PREFIX + host;
  }

  public static String routesBySite(String pattern) {
    return ROUTES_BY_SITE_PREFIX + pattern;
  }

  public static String sitesByOwner(String user) {
    return SITES_BY_OWNER_PREFIX + user;
  }

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

  public static String dnsProvider(String id) {
    return DNS_PROVIDER_PREFIX + id;
  }

  public static String ssoProvider(String id) {
    return SSO_PROVIDER_PREFIX + id;
  }

  public static String ssoLogin(String state) {
    return SSO_LOGIN_PREFIX + state;
  }

  public static String ssoSession(String id) {
    return SSO_SESSION_PREFIX + id;
  }

  public static String cert(String name) {
    return CERT_PREFIX + name;
  }

  public static String certState(String name) {
    return CERT_STATE_PREFIX + name;
  }

  public static String acmeHttp01(String token) {
    return ACME_HTTP01_PREFIX + token;
  }

  public static String certLock(String name) {
    return CERT_LOCK_PREFIX + name;
  }

  public static String dns01ZoneLock(String zone) {
    return DNS01_ZONE_LOCK_PREFIX + zone;
  }

  /** The pattern in a {@code portico:site:<pattern>} key, or {@code null} for any other key. */
  public static String patternOfSiteKey(String key) {
    return key.startsWith(SITE_PREFIX) ? key.substring(SITE_PREFIX.length()) : null;
  }

  /** The keyspace-notification channel pattern for every site key in database {@code db}. */
  public static String siteKeyspacePattern(int db) {
    return "__keyspace@" + db + "__:" + SITE_PREFIX + "*";
  }
}
