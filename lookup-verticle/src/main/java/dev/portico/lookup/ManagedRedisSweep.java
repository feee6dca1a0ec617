package dev.portico.lookup;

import dev.portico.contract.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Finds site and certificate keys written straight into a Redis that sends no keyspace
 * notifications (a managed Redis refusing {@code CONFIG}). Portico's own writes need none of
 * this: they are published. Instead of re-reading every site every few seconds, one sweep walks
 * the keyspace once per period, a page (1000 keys) per tick, paced from {@code DBSIZE} so the load
 * is spread evenly: the SCAN hands site keys the lookup does not hold to {@code onSiteChange}, a
 * second cursor hands every pattern it holds (wildcards, and exact sites' fingerprints while the
 * sweep runs; the owner's batched read finds it changed or deleted), and certificate values are compared with a fingerprint of what the last sweep read
 * ({@code onCertChange} gets the names that differ). A write behind the cursors is found by the
 * next sweep: every direct write is seen within two periods.
 */
final class ManagedRedisSweep {

  private static final Logger LOG = LoggerFactory.getLogger(ManagedRedisSweep.class);
  static final int PAGE = 1000;
  private static final long MIN_TICK_MS = 5;

  /** The view of the lookup's sites the sweep needs ({@code patterns} returns a copy). */
  record Sites(Predicate<String> holds, Supplier<List<String>> patterns, Handler<String> onSiteChange,
      Handler<String> onCertChange) {
  }

  private final Vertx vertx;
  private final Redis redis;
  private final long periodMs;
  private final Sites sites;
  /** Certificate name to the hash of its stored value, as of the last sweep. */
  private Map<String, Integer> certFingerprints = new HashMap<>();
  private Map<String, Integer> certsThisSweep = new HashMap<>();
  private boolean firstSweep = true;
  private boolean running;
  private long timer = -1;
  private String cursor;
  private List<String> known;
  private int knownOffset;
  private long tickMs;

  ManagedRedisSweep(Vertx vertx, Redis redis, long periodMs, Sites sites) {
    this.vertx = vertx;
    this.redis = redis;
    this.periodMs = periodMs;
    this.sites = sites;
  }

  /** Starts sweeping, unless it is already. */
  void start() {
    if (!running) {
      running = true;
      LOG.info("Sweeping Redis for direct writes every {} ms", periodMs);
      beginSweep();
    }
  }

  /** Stops after the current tick (keyspace notifications are back on). */
  void stop() {
    running = false;
    vertx.cancelTimer(timer);
  }

  private void beginSweep() {
    if (!running) {
      return;
    }
    redis.send(Request.cmd(Command.DBSIZE)).onComplete(size -> {
      long keys = size.succeeded() ? size.result().toLong() : 0;
      known = sites.patterns().get();
      knownOffset = 0;
      cursor = "0";
      long pages = Math.max(1, Math.max(keys, known.size()) / PAGE + 1);
      tickMs = Math.max(MIN_TICK_MS, periodMs / pages);
      schedule(tickMs);
    });
  }

  private void schedule(long delayMs) {
    if (running) {
      timer = vertx.setTimer(delayMs, id -> tick());
    }
  }

  private void tick() {
    Future<Void> scanned = cursor == null ? Future.succeededFuture() : scanPage();
    for (int end = Math.min(known.size(), knownOffset + PAGE); knownOffset < end; knownOffset++) {
      sites.onSiteChange().handle(known.get(knownOffset));
    }
    scanned.onComplete(ar -> {
      if (ar.failed()) {
        LOG.debug("Sweep page failed, trying again: {}", ar.cause().getMessage());
        schedule(tickMs);
      } else if (cursor == null && knownOffset >= known.size()) {
        endSweep();
      } else {
        schedule(tickMs);
      }
    });
  }

  private Future<Void> scanPage() {
    return redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg("portico:[sc][ie][tr]*")
            .arg("COUNT").arg(PAGE))
        .compose(page -> {
          String next = page.get(0).toString();
          List<String> certKeys = new ArrayList<>();
          for (Response key : page.get(1)) {
            String name = key.toString();
            String pattern = RedisKeys.patternOfSiteKey(name);
            if (pattern != null && !sites.holds().test(pattern)) {
              sites.onSiteChange().handle(pattern);
            } else if (name.startsWith(RedisKeys.CERT_PREFIX) || name.equals(RedisKeys.FALLBACK_CERT)) {
              certKeys.add(name);
            }
          }
          return fingerprintCerts(certKeys).onSuccess(v -> cursor = "0".equals(next) ? null : next);
        });
  }

  private Future<Void> fingerprintCerts(List<String> keys) {
    if (keys.isEmpty()) {
      return Future.succeededFuture();
    }
    Request mget = Request.cmd(Command.MGET);
    keys.forEach(mget::arg);
    return redis.send(mget).map(values -> {
      for (int i = 0; i < keys.size(); i++) {
        Response value = values.get(i);
        if (value != null) {
          certsThisSweep.put(keys.get(i), value.toString().hashCode());
        }
      }
      return null;
    });
  }

  /** Certificates new, changed or gone since the last sweep are announced; then the next sweep. */
  private void endSweep() {
    if (!firstSweep) {
      certsThisSweep.forEach((key, hash) -> {
        if (!hash.equals(certFingerprints.get(key))) {
          sites.onCertChange().handle(certName(key));
        }
      });
      certFingerprints.keySet().stream().filter(key -> !certsThisSweep.containsKey(key))
          .forEach(key -> sites.onCertChange().handle(certName(key)));
    }
    firstSweep = false;
    certFingerprints = certsThisSweep;
    certsThisSweep = new HashMap<>();
    beginSweep();
  }

  private static String certName(String key) {
    return key.equals(RedisKeys.FALLBACK_CERT) ? key : key.substring(RedisKeys.CERT_PREFIX.length());
  }
}
