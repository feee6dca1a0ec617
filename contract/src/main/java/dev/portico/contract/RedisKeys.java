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

  /** The pattern in a {@code portico:site:<pattern>} key, or {@code null} for any other key. */
  public static String patternOfSiteKey(String key) {
    return key.startsWith(SITE_PREFIX) ? key.substring(SITE_PREFIX.length()) : null;
  }

  /** The keyspace-notification channel pattern for every site key in database {@code db}. */
  public static String siteKeyspacePattern(int db) {
    return "__keyspace@" + db + "__:" + SITE_PREFIX + "*";
  }
}
