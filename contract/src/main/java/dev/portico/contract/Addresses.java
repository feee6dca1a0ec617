package dev.portico.contract;

/**
 * Event-bus addresses the verticles talk on. The message shapes are the records named on each
 * address.
 */
public final class Addresses {

  /**
   * Point-to-point request, answered by a lookup verticle: the body is a canonical host name
   * ({@link HostName#canonical}), the reply a {@link RouteMatch} as JSON, or {@code null} when no
   * site serves the name.
   */
  public static final String LOOKUP = "portico.lookup.resolve";

  /**
   * Point-to-point request, answered by a lookup verticle: the body is a host name, the reply
   * {@code {"host": "<canonical or null>", "patterns": [...]}}, every site pattern that matches
   * it in priority order (the first serves it). The admin API's resolve endpoint explains with it.
   */
  public static final String EXPLAIN = "portico.lookup.explain";

  /**
   * Published by the lookup verticles after they have applied a change to their tree and to the
   * Redis route cache: the body is a {@link SiteChange} as JSON. Edges drop the cached routes the
   * change may affect.
   */
  public static final String SITE_CHANGED = "portico.site.changed";

  /**
   * Published by the admin API to purge a site's cached responses on every edge: the body is
   * {@code {"pattern", "path"?, "prefix"?}} (neither: the whole site).
   */
  public static final String CACHE_PURGE = "portico.cache.purge";

  /**
   * Point-to-point request, answered by a cert verticle: the body is {@code {"name": "..."}} (an
   * exact name or {@code *.parent}), the reply {@code {"name", "status": "issued"|"failed",
   * "error"?}} once the certificate is stored, or a failure when issuance is not possible.
   * Edges ask on a first handshake for an {@code auto} site; the admin API asks to renew now.
   */
  public static final String CERT_ISSUE = "portico.cert.issue";

  /**
   * Published after a certificate was written or deleted in Redis: the body is
   * {@code {"name": "..."}}. Edges drop their parsed copy, so new handshakes get the new one.
   * {@code {"all": true}} says any certificate may have changed (the change feed from Redis was
   * interrupted): edges drop every parsed copy.
   */
  public static final String CERT_CHANGED = "portico.cert.changed";

  /**
   * Published by the admin API to gather the cluster's figures: the body is
   * {@code {"replyTo": "portico.node.figures.reply.<id>"}}; every node sends its own figures
   * (roles, request counts by site and status class, latency buckets, route tiers, certificate
   * expiry) to that address once. Nodes answer only reply addresses under
   * {@link #NODE_FIGURES_REPLY_PREFIX}, so the ask cannot aim their answers elsewhere.
   */
  public static final String NODE_FIGURES = "portico.node.figures";

  /** Where the answers to one {@link #NODE_FIGURES} ask go, followed by an id of the asker's. */
  public static final String NODE_FIGURES_REPLY_PREFIX = "portico.node.figures.reply.";

  /**
   * Published by the admin API to gather a site's active health checks: the body is
   * {@code {"pattern": "...", "replyTo": "portico.upstream.health.reply.<id>"}}; every edge node
   * that checks the site sends its targets' states there once (under the reply prefix only).
   */
  public static final String UPSTREAM_HEALTH = "portico.upstream.health";

  /** Where the answers to one {@link #UPSTREAM_HEALTH} ask go, followed by an id of the asker's. */
  public static final String UPSTREAM_HEALTH_REPLY_PREFIX = "portico.upstream.health.reply.";

  private Addresses() {
  }
}
