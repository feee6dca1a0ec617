package dev.portico.contract;

/**
 * The Redis keys and channels of what the data plane serves: sites, routes, certificates, edge
 * sign-ins and rate limits. The admin API's own state is in {@link AdminKeys}, the listing
 * indexes in {@link IndexKeys}, issuance in {@link CertKeys}. The README lists the same schema.
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

  /** The fallback certificate (a {@link StoredCertificate}), served when no other one fits. */
  public static final String FALLBACK_CERT = "portico:cert-fallback";

  /**
   * {@code portico:acme-http01:<token>}: the key authorization an ACME HTTP-01 challenge expects
   * at {@code /.well-known/acme-challenge/<token>}, with a TTL, so every edge can answer it.
   */
  public static final String ACME_HTTP01_PREFIX = "portico:acme-http01:";

  /** Pub/sub channel: a message is the name of a certificate that was written or deleted. */
  public static final String CERT_CHANGES_CHANNEL = "portico:cert-changes";

  /** An SSO provider's JSON ({@link SsoProviderRecord}); its client secret sealed. */
  public static final String SSO_PROVIDER_PREFIX = "portico:sso-provider:";

  /** Sorted set of every SSO provider id. */
  public static final String SSO_PROVIDER_INDEX = "portico:sso-provider-index";

  /** The {@code state} of a sign-in at the edge, set (NX) by its first callback: a state works once; expires. */
  public static final String SSO_LOGIN_PREFIX = "portico:sso-login:";

  /** A signed-in visitor's session at the edge, by its random id (the cookie's value); expires. */
  public static final String SSO_SESSION_PREFIX = "portico:sso-session:";

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

  public static String acmeHttp01(String token) {
    return ACME_HTTP01_PREFIX + token;
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
