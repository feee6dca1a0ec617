package dev.portico.edge.upstream.health;

import dev.portico.edge.upstream.TenantAddresses;
import dev.portico.contract.Target;
import dev.portico.edge.LogSafe;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The node's active health checks, run on one event loop: every {@link #TICK_MS} it checks each
 * watched site whose interval is due, each of its targets at most once at a time and at most
 * {@link #MAX_IN_FLIGHT} checks at once on the node (past it, checks wait for a later tick, taking
 * turns between sites: {@link CheckSchedule}), and retires sites no route held for a grace period.
 */
public final class HealthChecker {

  /** How to reach a target: its address literal, refused for a tenant's site aimed where it may not go. */
  @FunctionalInterface
  public interface AddressLookup {
    Future<String> address(boolean tenant, String host, int port);
  }

  static final long TICK_MS = 100;
  static final int MAX_IN_FLIGHT = 256;
  /** An unheld site is kept this long (or two intervals), so a route rebuilt meanwhile keeps its state. */
  private static final long GRACE_NANOS = 30_000_000_000L;
  private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

  private final Vertx vertx;
  private final HealthRegistry sites;
  private final HttpClient client;
  private final AddressLookup addresses;
  private final HealthGauges gauges;
  private final CheckSchedule schedule = new CheckSchedule(MAX_IN_FLIGHT);
  private long timer = -1;

  public HealthChecker(Vertx vertx, HealthRegistry sites, HttpClient client, AddressLookup addresses,
      io.micrometer.core.instrument.MeterRegistry registry, int siteLimit) {
    this.vertx = vertx;
    this.sites = sites;
    this.client = client;
    this.addresses = addresses;
    this.gauges = new HealthGauges(registry, sites, siteLimit);
  }

  public void start() {
    timer = vertx.setPeriodic(TICK_MS, tick -> tick(System.nanoTime()));
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  /** The checked state of the site {@code pattern} on this node ({@code null}: not checked here). */
  public JsonObject state(String pattern) {
    JsonArray versions = new JsonArray();
    sites.sites().stream().filter(site -> site.key().pattern().equals(pattern)).forEach(site -> versions.add(site.toJson()));
    return versions.isEmpty() ? null : versions.getJsonObject(versions.size() - 1);
  }

  private void tick(long now) {
    List<SiteHealth> watched = new ArrayList<>();
    for (SiteHealth site : sites.sites()) {
      if (site.retireIfUnheld(now, Math.max(GRACE_NANOS, 2_000_000L * site.key().check().intervalMs()))) {
        sites.retire(site);
        gauges.retired(site);
      } else {
        watched.add(site);
      }
    }
    for (CheckSchedule.Check check : schedule.due(watched, now)) {
      gauges.show(check.site());
      try {
        check(check.site(), check.target());
      } catch (RuntimeException e) {
        schedule.finished(check.target());  // its place in the budget is not lost
        LOG.warn("Health check of site {} could not start: {}", check.site().key().pattern(), LogSafe.of(e));
      }
    }
  }

  private void check(SiteHealth site, TargetHealth health) {
    SiteHealth.Key key = site.key();
    Target target = health.target();
    if (target.protocol() != Target.Protocol.HTTP) {
      // probes speak plain HTTP/1.1: an https:// or h2c:// target is left to the passive checks
      // and the breaker rather than marked down by a probe it cannot answer
      schedule.finished(health);
      health.record(true, "not probed: active checks reach host:port targets only", key.check());
      return;
    }
    // an exact site's checks carry its name, as its requests do; a wildcard's, the target's
    String host = key.pattern().startsWith("*") ? target.toString() : key.pattern();
    addresses.address(key.tenant(), target.host(), target.port())
        .compose(address -> HealthProbe.check(vertx, client, address, target, host, key.check()))
        // the admin API shows this to the site's owner: never the address a refusal names
        .otherwise(failure -> new HealthProbe.Outcome(false, failure instanceof TenantAddresses.Refused
            ? "not reachable: the target's address is not allowed for this site"
            : "not reachable: " + failure.getMessage()))
        .onComplete(ar -> {
          schedule.finished(health);
          boolean wasUp = health.up();
          health.record(ar.result().passed(), ar.result().result(), key.check());
          if (wasUp != health.up()) {
            LOG.warn("Health check of site {}: target {} is {} ({})", key.pattern(), target,
                health.up() ? "up again" : "down", LogSafe.of(ar.result().result()));
          }
        });
  }
}
