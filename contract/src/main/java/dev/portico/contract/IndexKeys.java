package dev.portico.contract;

/**
 * The Redis keys of the listing indexes: sorted sets the admin API (and the cert verticles, for
 * certificates) write in the same transaction as the keys they list, so lists are read by range
 * instead of a SCAN of the keyspace. The README's Redis schema lists the same keys.
 */
public final class IndexKeys {

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
   * A sorted set (all scores 0) of every certificate name under {@link RedisKeys#CERT_PREFIX}, written
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

  public static String sitesByOwner(String user) {
    return SITES_BY_OWNER_PREFIX + user;
  }

  private IndexKeys() {
  }
}
