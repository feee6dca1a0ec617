package dev.portico.contract;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A site: what Portico does with the requests for one domain pattern. Stored as JSON under
 * {@link RedisKeys#site}; fields this version does not know are kept in Redis and ignored here,
 * so that nodes of different versions can share one Redis during an upgrade.
 *
 * <pre>{"targets": ["10.0.0.5:8080"], "connectTimeoutMs": 10000, "readTimeoutMs": 30000,
 *  "tls": "off", "redirectHttps": false, "owner": "alice"}</pre>
 *
 * <p>{@code tls}: {@code auto} (certificate from ACME), {@code manual} (uploaded through the
 * admin API) or {@code off} (default). {@code redirectHttps} defaults to on for TLS sites.
 * {@code includeApex}: for a {@code *.example.com} site with {@code tls: auto}, the certificate
 * names {@code example.com} too (one DNS-01 order for both); ignored for other patterns.
 * {@code owner}: the user the site belongs to, for the admin API's {@code user} role.
 * {@code maxBodyBytes}: the largest request body the edge relays to the site ({@code null}: the
 * node's {@code PORTICO_MAX_BODY_BYTES}); a larger one is refused with 413.
 * {@code routes}: per-path backends and policies ({@link SiteRoutes}); without any, the site's own
 * fields serve every path.
 * {@code weights}, {@code healthCheck}, {@code circuitBreaker}, {@code retryBudget}, {@code sticky}:
 * how the site's targets are weighed, checked and kept ({@link UpstreamOptions}).
 * {@code backendTls}: how TLS is spoken to {@code https://} targets ({@link BackendTls}); routes share the site's.
 */
public record Site(List<Target> targets, int connectTimeoutMs, int readTimeoutMs, TlsMode tls,
    boolean redirectHttps, boolean includeApex, String owner, Long maxBodyBytes, SitePolicies policies,
    SiteRoutes routes, UpstreamOptions upstream, BackendTls backendTls) {

  /** Every field a site may have ({@link SitePolicies#FIELDS} among them): the admin API refuses any other. */
  public static final Set<String> FIELDS = fields();

  private static Set<String> fields() {
    Set<String> fields = new java.util.HashSet<>(
        Set.of("targets", "connectTimeoutMs", "readTimeoutMs", "tls", "redirectHttps", "includeApex", "owner",
            "maxBodyBytes", "routes", "backendTls"));
    fields.addAll(SitePolicies.FIELDS);
    fields.addAll(UpstreamOptions.FIELDS);
    return Set.copyOf(fields);
  }

  /** How a site gets its certificate. */
  public enum TlsMode {
    AUTO, MANUAL, OFF;

    public String json() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static final int DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_READ_TIMEOUT_MS = 30_000;
  /** Upper bound of both timeouts: an hour is already far past what a proxy should wait. */
  public static final int MAX_TIMEOUT_MS = 3_600_000;
  /** Upper bound of {@code maxBodyBytes}: 1 TiB, past any upload a proxy should relay in one request. */
  public static final long MAX_BODY_BYTES_LIMIT = 1L << 40;

  public Site {
    targets = List.copyOf(targets);
  }

  /**
   * Parses a site's JSON.
   *
   * @throws InvalidSiteException naming the field that is wrong
   */
  public static Site fromJson(String json) {
    if (json.length() > SiteLimits.MAX_JSON_CHARS) {
      throw new InvalidSiteException(null, "site JSON is longer than " + SiteLimits.MAX_JSON_CHARS + " characters");
    }
    JsonObject object;
    try {
      object = new JsonObject(json);
    } catch (DecodeException | ClassCastException e) {
      throw new InvalidSiteException(null, "site is not a JSON object");
    }
    return fromJson(object);
  }

  public static Site fromJson(JsonObject json) {
    List<Target> targets = targets(json);
    TlsMode tls = tlsMode(json);
    Object redirect = json.getValue("redirectHttps");
    if (redirect != null && !(redirect instanceof Boolean)) {
      throw new InvalidSiteException("redirectHttps", "redirectHttps must be true or false");
    }
    Object includeApex = json.getValue("includeApex");
    if (includeApex != null && !(includeApex instanceof Boolean)) {
      throw new InvalidSiteException("includeApex", "includeApex must be true or false");
    }
    Object owner = json.getValue("owner");
    if (owner != null && !(owner instanceof String text && text.length() <= SiteLimits.MAX_TEXT_CHARS)) {
      throw new InvalidSiteException("owner", "owner must be a user name");
    }
    Site site = new Site(targets,
        timeout(json, "connectTimeoutMs", DEFAULT_CONNECT_TIMEOUT_MS),
        timeout(json, "readTimeoutMs", DEFAULT_READ_TIMEOUT_MS),
        tls,
        redirect == null ? tls != TlsMode.OFF : (Boolean) redirect,
        Boolean.TRUE.equals(includeApex),
        (String) owner,
        maxBodyBytes(json),
        SitePolicies.fromJson(json),
        SiteRoutes.NONE,
        UpstreamOptions.fromJson(json, targets.size()),
        BackendTls.fromJson(json));
    return site.withRoutes(RouteParser.parse(json, site));
  }

  /** This site with {@code routes} (the site's other fields are what its routes inherit). */
  Site withRoutes(SiteRoutes routes) {
    return new Site(targets, connectTimeoutMs, readTimeoutMs, tls, redirectHttps, includeApex, owner, maxBodyBytes,
        policies, routes, upstream, backendTls);
  }

  /** A site's (or a route's) {@code targets}: 1 to {@link SiteLimits#MAX_TARGETS} {@code host:port}. */
  static List<Target> targets(JsonObject json) {
    Object rawTargets = json.getValue("targets");
    if (!(rawTargets instanceof JsonArray array) || array.isEmpty() || array.size() > SiteLimits.MAX_TARGETS) {
      throw new InvalidSiteException("targets", "targets must be an array of 1 to " + SiteLimits.MAX_TARGETS
          + " \"host:port\" strings (or https://host:port, h2c://host:port)");
    }
    List<Target> targets = new ArrayList<>(array.size());
    for (Object target : array) {
      if (!(target instanceof String text)) {
        throw new InvalidSiteException("targets", "targets must be a non-empty array of \"host:port\" strings");
      }
      try {
        targets.add(Target.parse(text));
      } catch (IllegalArgumentException e) {
        throw new InvalidSiteException("targets", e.getMessage());
      }
    }
    return targets;
  }

  private static TlsMode tlsMode(JsonObject json) {
    Object value = json.getValue("tls");
    if (value == null) {
      return TlsMode.OFF;
    }
    for (TlsMode mode : TlsMode.values()) {
      if (mode.json().equals(value)) {
        return mode;
      }
    }
    throw new InvalidSiteException("tls", "tls must be \"auto\", \"manual\" or \"off\"");
  }

  static int timeout(JsonObject json, String field, int defaultValue) {
    Object value = json.getValue(field);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1
        || ((Number) value).longValue() > MAX_TIMEOUT_MS) {
      throw new InvalidSiteException(field, field + " must be an integer from 1 to " + MAX_TIMEOUT_MS);
    }
    return ((Number) value).intValue();
  }

  static Long maxBodyBytes(JsonObject json) {
    Object value = json.getValue("maxBodyBytes");
    if (value == null) {
      return null;
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0
        || ((Number) value).longValue() > MAX_BODY_BYTES_LIMIT) {
      throw new InvalidSiteException("maxBodyBytes", "maxBodyBytes must be an integer from 0 to " + MAX_BODY_BYTES_LIMIT);
    }
    return ((Number) value).longValue();
  }

  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    targets.forEach(target -> array.add(target.toString()));
    JsonObject json = new JsonObject()
        .put("targets", array)
        .put("connectTimeoutMs", connectTimeoutMs)
        .put("readTimeoutMs", readTimeoutMs)
        .put("tls", tls.json())
        .put("redirectHttps", redirectHttps);
    if (includeApex) {
      json.put("includeApex", true);
    }
    if (owner != null) {
      json.put("owner", owner);
    }
    if (maxBodyBytes != null) {
      json.put("maxBodyBytes", maxBodyBytes);
    }
    policies.toJson(json);
    upstream.toJson(json);
    if (!backendTls.equals(BackendTls.DEFAULT)) {
      json.put("backendTls", backendTls.toJson());
    }
    if (!routes.isEmpty()) {
      json.put("routes", routes.toJson());
    }
    return json;
  }
}
