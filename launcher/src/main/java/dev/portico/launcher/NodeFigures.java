package dev.portico.launcher;

import dev.portico.contract.Addresses;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * This node's answer to the admin API's {@link Addresses#NODE_FIGURES} ask: its roles and the
 * cumulative figures of its meter registry (requests by site and status class with latency
 * buckets, route tiers, certificate expiry). Counts only grow; a reader takes rates from the
 * difference between two answers. At most {@link #MAX_SITES} sites, the busiest, are listed.
 */
final class NodeFigures {

  static final int MAX_SITES = 50;
  static final int MAX_CERTIFICATES = 200;

  private final MeterRegistry registry;
  private final JsonObject identity;

  private NodeFigures(MeterRegistry registry, JsonObject identity) {
    this.registry = registry;
    this.identity = identity;
  }

  /** Answers every ask on this node's event bus (clustered: from every admin node). */
  static void answer(Vertx vertx, PorticoConfig config, MeterRegistry registry) {
    JsonObject identity = new JsonObject().put("node", nodeName(config))
        .put("roles", new JsonArray(config.roles().stream().map(Role::configName).toList()))
        .put("startedAt", System.currentTimeMillis());
    NodeFigures figures = new NodeFigures(registry, identity);
    vertx.eventBus().<Object>consumer(Addresses.NODE_FIGURES, message -> {
      if (message.body() instanceof JsonObject ask && ask.getValue("replyTo") instanceof String replyTo
          && replyTo.startsWith(Addresses.NODE_FIGURES_REPLY_PREFIX)
          && replyTo.length() <= Addresses.NODE_FIGURES_REPLY_PREFIX.length() + 64) {
        vertx.eventBus().send(replyTo, figures.now());
      }
    });
  }

  JsonObject now() {
    Runtime runtime = Runtime.getRuntime();
    Map<String, Requests> bySite = requests();
    return identity.copy().put("at", System.currentTimeMillis())
        .put("heap", new JsonObject().put("usedBytes", runtime.totalMemory() - runtime.freeMemory())
            .put("maxBytes", runtime.maxMemory()))
        .put("requests", bySite.values().stream().reduce(new Requests(), Requests::plus).json())
        .put("sites", busiest(bySite))
        .put("routeTiers", routeTiers())
        .put("certificates", certificates());
  }

  private Map<String, Requests> requests() {
    Map<String, Requests> bySite = new LinkedHashMap<>();
    for (Timer timer : registry.find("portico.requests").timers()) {
      bySite.computeIfAbsent(timer.getId().getTag("site"), site -> new Requests())
          .add(timer.getId().getTag("status"), timer.takeSnapshot());
    }
    return bySite;
  }

  private static JsonArray busiest(Map<String, Requests> bySite) {
    return new JsonArray(bySite.entrySet().stream()
        .sorted(Comparator.comparingLong((Map.Entry<String, Requests> e) -> e.getValue().count).reversed())
        .limit(MAX_SITES).map(e -> (Object) e.getValue().json().put("site", e.getKey())).toList());
  }

  private JsonObject routeTiers() {
    JsonObject tiers = new JsonObject();
    registry.find("portico.route.resolutions").counters().forEach(counter ->
        tiers.put(counter.getId().getTag("tier"), (long) counter.count()));
    return tiers;
  }

  private JsonArray certificates() {
    return new JsonArray(registry.find("portico.cert.expiry.days").gauges().stream()
        .sorted(Comparator.comparingDouble(Gauge::value)).limit(MAX_CERTIFICATES)
        .map(gauge -> (Object) new JsonObject().put("name", gauge.getId().getTag("name"))
            .put("daysLeft", (long) gauge.value())).toList());
  }

  /** The ops address names a node uniquely in a cluster and is what an operator probes. */
  private static String nodeName(PorticoConfig config) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host + ":" + config.opsPort();
  }

  /** Requests summed over status classes: counts, total seconds and cumulative latency buckets. */
  private static final class Requests {
    long count;
    double seconds;
    final Map<String, Long> byStatus = new LinkedHashMap<>();
    final Map<Double, Double> buckets = new TreeMap<>();

    void add(String statusClass, HistogramSnapshot snapshot) {
      count += snapshot.count();
      seconds += snapshot.total(TimeUnit.SECONDS);
      byStatus.merge(statusClass == null ? "other" : statusClass.toLowerCase(Locale.ROOT), snapshot.count(), Long::sum);
      for (CountAtBucket bucket : snapshot.histogramCounts()) {
        buckets.merge(bucket.bucket(TimeUnit.SECONDS), bucket.count(), Double::sum);
      }
    }

    Requests plus(Requests other) {
      Requests sum = new Requests();
      for (Requests part : new Requests[] {this, other}) {
        sum.count += part.count;
        sum.seconds += part.seconds;
        part.byStatus.forEach((status, n) -> sum.byStatus.merge(status, n, Long::sum));
        part.buckets.forEach((le, n) -> sum.buckets.merge(le, n, Double::sum));
      }
      return sum;
    }

    JsonObject json() {
      JsonObject status = new JsonObject();
      byStatus.forEach(status::put);
      JsonArray histogram = new JsonArray();
      buckets.forEach((le, n) -> histogram.add(new JsonObject().put("le", le).put("count", n.longValue())));
      return new JsonObject().put("count", count).put("seconds", seconds).put("status", status)
          .put("buckets", histogram);
    }
  }
}
