package dev.portico.edge.observe;

import dev.portico.edge.cache.LocalResponseCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The edge's own metrics: requests by site and status class with their duration, backend
 * response times by site, and which route tier answered. One instance per edge verticle, used on
 * its event loop only, so each site's meters are resolved once and held in a plain map: a request
 * costs one map look-up, no tag or registry look-ups.
 *
 * <p>Cardinality is bounded: sites get their own label only while fewer than
 * {@code siteLabelLimit} sites have one in the registry (first come, first labelled); the rest
 * count under {@code site="_other"}, hosts without a site under {@code site="_unknown"}. A flood
 * of random Host headers therefore adds no series. Labels are kept for the life of the process
 * (a deleted site's series stay until restart). The labelled sites are one set per registry,
 * shared by the edge instances that report to it: a new site costs a set look-up, not a walk
 * over every meter of the registry.
 */
public final class EdgeMetrics {

  static final String OTHER_SITES = "_other";
  static final String NO_SITE = "_unknown";
  static final String REQUESTS = "portico.requests";
  static final String BACKEND = "portico.backend.duration";
  static final String ROUTE_TIER = "portico.route.resolutions";
  static final String CACHE_RESPONSES = "portico.cache.responses";
  static final String CACHE_BYTES = "portico.cache.response.bytes";
  /** Latency buckets (seconds) for both histograms: enough resolution, a bounded series count. */
  private static final Duration[] BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30)};
  private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

  /** Which tier of the route resolution answered. */
  public enum Tier { PROCESS, REDIS, LOOKUP, STALE, FAILED }

  /** The sites with a label of their own, per registry (all edge instances of a node share one). */
  private static final Map<MeterRegistry, Set<String>> LABELLED = Collections.synchronizedMap(new WeakHashMap<>());

  private final MeterRegistry registry;
  private final int siteLabelLimit;
  private final Set<String> labelled;
  /** Meters by site pattern ({@link #NO_SITE} for none); sites past the label limit share {@link #OTHER_SITES}'s. */
  private final Map<String, SiteMeters> sites = new HashMap<>();
  private final Map<String, SiteMeters> labels = new HashMap<>();
  private final Counter[] tiers = new Counter[Tier.values().length];
  private final Timer lookups;
  private final Counter redisErrors;

  public EdgeMetrics(MeterRegistry registry, int siteLabelLimit) {
    this.registry = registry;
    this.siteLabelLimit = siteLabelLimit;
    this.labelled = LABELLED.computeIfAbsent(registry, r -> ConcurrentHashMap.newKeySet());
    for (Tier tier : Tier.values()) {
      tiers[tier.ordinal()] = Counter.builder(ROUTE_TIER).tag("tier", tier.name().toLowerCase(java.util.Locale.ROOT))
          .description("Route resolutions by the tier that answered").register(registry);
    }
    lookups = Timer.builder("portico.lookup.duration").serviceLevelObjectives(BUCKETS)
        .description("Event-bus lookups asked by the edge, until the answer").register(registry);
    FunctionCounter.builder("portico.access.dropped", AccessLogWriter.PROCESS, AccessLogWriter::droppedLines)
        .description("Access log lines dropped because the log output fell behind").register(registry);
    redisErrors = Counter.builder("portico.redis.errors").tag("component", "edge")
        .description("Failed Redis commands").register(registry);
  }

  /** The node's response-cache store: bytes held, entries evicted for size (node-wide series, registered once). */
  public void cacheStore(LocalResponseCache store) {
    Gauge.builder("portico.cache.stored.bytes", store, LocalResponseCache::weightedBytes).baseUnit("bytes")
        .description("Bytes the node's response cache holds, for all sites").register(registry);
    FunctionCounter.builder("portico.cache.evictions", store, LocalResponseCache::evictions)
        .description("Entries the node's response cache evicted for size").register(registry);
  }

  public void lookup(long nanos) {
    lookups.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void redisError() {
    redisErrors.increment();
  }

  public void resolved(Tier tier) {
    tiers[tier.ordinal()].increment();
  }

  /**
   * The meters of the site with {@code pattern} (null: no site): resolved once, then one map
   * look-up; a route keeps its site's ({@code Route.meters}), so a routed request makes none.
   */
  public SiteMeters site(String pattern) {
    String key = pattern == null ? NO_SITE : pattern;
    SiteMeters meters = sites.get(key);
    if (meters == null) {
      String label = siteLabel(pattern);
      meters = labels.computeIfAbsent(label, l -> new SiteMeters(registry, l));
      sites.put(key, meters);
    }
    return meters;
  }

  /** The label a site's series carry: its pattern, or {@link #OTHER_SITES} past the limit. */
  private String siteLabel(String pattern) {
    if (pattern == null) {
      return NO_SITE;
    }
    return labelled.contains(pattern) || labelSlotTaken(pattern) ? pattern : OTHER_SITES;
  }

  /** Takes one of the registry's label slots for {@code pattern}, if one is left. */
  private boolean labelSlotTaken(String pattern) {
    synchronized (labelled) {
      return labelled.size() < siteLabelLimit && labelled.add(pattern);
    }
  }

  /** One site label's request timers (one per status class, registered when first needed) and backend timer. */
  public static final class SiteMeters {

    private final MeterRegistry registry;
    private final String label;
    private final Timer[] requests = new Timer[STATUS_CLASSES.length];
    private Timer backend;
    /** By cache result ({@code HIT}, {@code MISS}, ...: the cache filter's own, a fixed set): count and body bytes. */
    private final Map<String, Counter[]> cache = new HashMap<>();

    private SiteMeters(MeterRegistry registry, String label) {
      this.registry = registry;
      this.label = label;
    }

    void request(int status, long nanos) {
      int statusClass = Math.max(0, Math.min(status / 100 - 1, STATUS_CLASSES.length - 1));
      Timer timer = requests[statusClass];
      if (timer == null) {
        timer = requests[statusClass] = Timer.builder(REQUESTS).tag("site", label)
            .tag("status", STATUS_CLASSES[statusClass]).serviceLevelObjectives(BUCKETS)
            .description("Requests through the edge, from the first byte to the end of the response").register(registry);
      }
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    void backend(long nanos) {
      if (backend == null) {
        backend = Timer.builder(BACKEND).tag("site", label).serviceLevelObjectives(BUCKETS)
            .description("Time to the backend's response head").register(registry);
      }
      backend.record(nanos, TimeUnit.NANOSECONDS);
    }

    void cache(String result, long bodyBytes) {
      Counter[] counters = cache.computeIfAbsent(result, r -> new Counter[] {
          Counter.builder(CACHE_RESPONSES).tag("site", label).tag("result", r.toLowerCase(java.util.Locale.ROOT))
              .description("Responses of cached sites by what the cache did").register(registry),
          Counter.builder(CACHE_BYTES).tag("site", label).tag("result", r.toLowerCase(java.util.Locale.ROOT))
              .baseUnit("bytes").description("Body bytes of those responses").register(registry)});
      counters[0].increment();
      counters[1].increment(bodyBytes);
    }
  }
}
