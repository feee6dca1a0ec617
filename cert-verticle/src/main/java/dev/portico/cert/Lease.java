package dev.portico.cert;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A lease on one Redis key: taken with {@code SET NX PX} holding this lease's own value (the
 * node's id and a sequence number, so two leases of one node are told apart), extended and
 * released only by that lease (compare-and-set in Lua), so a holder that lost the lease to
 * expiry never extends or deletes its successor's.
 */
final class Lease {

  private static final Logger LOG = LoggerFactory.getLogger(Lease.class);
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private static final String EXTEND = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
      + "return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
  /** Deletes the key, or with a hold (ARGV[2] ms) marks it released and lets it expire then. */
  private static final String RELEASE = "if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 "
      + "elseif tonumber(ARGV[2]) > 0 then redis.call('SET', KEYS[1], 'released:' .. ARGV[1], 'PX', ARGV[2]) return 1 "
      + "else return redis.call('DEL', KEYS[1]) end";

  private final Redis redis;
  private final String key;
  private final String holder;
  private final long leaseMs;
  private Vertx keptAliveBy;
  private long keepAliveTimer;
  private volatile boolean lost;
  private volatile boolean released;

  /** @param nodeId the holding node's id, the readable part of the lease's value */
  Lease(Redis redis, String key, String nodeId, long leaseMs) {
    this.redis = redis;
    this.key = key;
    this.holder = nodeId + "#" + SEQUENCE.incrementAndGet();
    this.leaseMs = leaseMs;
  }

  /** Takes the lease if nobody holds it; true when this holder has it now. */
  Future<Boolean> acquire() {
    return redis.send(Request.cmd(Command.SET).arg(key).arg(holder).arg("NX").arg("PX").arg(leaseMs))
        .map(response -> response != null);
  }

  /** Takes the lease, or extends it when this holder has it already; true when held now. */
  Future<Boolean> acquireOrExtend() {
    return extend().compose(extended -> extended ? Future.succeededFuture(true) : acquire());
  }

  /** Extends the lease if this holder still has it; true when it did. */
  Future<Boolean> extend() {
    return script(EXTEND, Long.toString(leaseMs));
  }

  /**
   * Extends the lease every third of its time until {@link #release}: work of unknown length
   * keeps it, and a holder that dies loses it within one lease time.
   */
  void keepAlive(Vertx vertx) {
    keptAliveBy = vertx;
    keepAliveTimer = vertx.setPeriodic(Math.max(1, leaseMs / 3), t -> extend().onComplete(ar -> {
      if (ar.succeeded() && !ar.result() && !released) {
        lost = true;
        LOG.warn("Lost the lease {}: it expired before it could be extended", key);
      } else if (ar.failed()) {
        LOG.warn("Cannot extend the lease {} (it lasts {} ms): {}", key, leaseMs, ar.cause().getMessage());
      }
    }));
  }

  /** Whether a keep-alive found the lease gone: another holder may have it now. */
  boolean lost() {
    return lost;
  }

  /** Gives the lease up if this holder has it (and stops keeping it alive). */
  Future<Boolean> release() {
    return release(0);
  }

  /**
   * Gives the lease up if this holder has it, but keeps the key (as {@code released:<value>})
   * for {@code holdMs}: nobody, this lease included, takes it before then.
   */
  Future<Boolean> release(long holdMs) {
    released = true;
    if (keptAliveBy != null) {
      keptAliveBy.cancelTimer(keepAliveTimer);
      keptAliveBy = null;
    }
    return script(RELEASE, Long.toString(holdMs));
  }

  private Future<Boolean> script(String script, String... extra) {
    Request request = Request.cmd(Command.EVAL).arg(script).arg(1).arg(key).arg(holder);
    for (String arg : extra) {
      request.arg(arg);
    }
    return redis.send(request).map(Lease::isOne);
  }

  private static boolean isOne(Response response) {
    return response != null && response.toLong() == 1L;
  }

  String holder() {
    return holder;
  }
}
