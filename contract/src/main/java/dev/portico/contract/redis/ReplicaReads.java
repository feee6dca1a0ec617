package dev.portico.contract.redis;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Reads from a node-local replica while it is in sync with its master, from the master while it
 * is not; a command the first one fails (or the replica leaves unanswered for a second) is sent to
 * the other, so neither a lagging, frozen or stopped replica nor a master being failed over fails
 * a read that the other can answer. A stale answer
 * from a replica whose master is gone is better for the edge than none: it serves what it knew.
 * Once a second {@code INFO replication} on the replica says whether it is in sync; the state is
 * what {@link #HEALTH_KEY} in the node's local map {@link #HEALTH_MAP} shows (the ops port's
 * readiness answer lists it).
 */
public final class ReplicaReads implements Redis {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicaReads.class);
  public static final String HEALTH_MAP = "portico.redis.health";
  public static final String HEALTH_KEY = "replica";
  static final long PROBE_INTERVAL_MS = 1_000;
  /** A replica slower than this to answer (frozen, overloaded) is passed over for the master. */
  static final long REPLICA_ANSWER_MS = 1_000;
  /** A replica that heard nothing from its master for longer (pings come every 10 s) is lagging. */
  static final long MAX_MASTER_SILENCE_S = 30;

  private final Vertx vertx;
  private final Redis replica;
  private final Redis master;
  private final Handler<Void> onBackInSync;
  private final long timer;
  private volatile String state = UNKNOWN;
  private static final String UNKNOWN = "unknown: not probed yet";

  private ReplicaReads(Vertx vertx, Redis replica, Redis master, Handler<Void> onBackInSync) {
    this.vertx = vertx;
    this.replica = replica;
    this.master = master;
    this.onBackInSync = onBackInSync;
    this.timer = vertx.setPeriodic(0, PROBE_INTERVAL_MS, id -> probe());
  }

  /**
   * @param onBackInSync called when the replica is in sync again after it was not: what it loaded
   *                     in a full copy from its master fired no keyspace notification, so whoever
   *                     follows its changes must read again
   */
  static ReplicaReads start(Vertx vertx, Redis replica, Redis master, Handler<Void> onBackInSync) {
    return new ReplicaReads(vertx, replica, master, onBackInSync);
  }

  /** Whether reads go to the replica first. */
  public boolean inSync() {
    return state.equals("in sync");
  }

  private void probe() {
    replica.send(Request.cmd(Command.INFO).arg("replication")).timeout(REPLICA_ANSWER_MS, TimeUnit.MILLISECONDS)
        .map(info -> describe(info.toString()))
        .otherwise(e -> "unreachable: " + e.getMessage())
        .onSuccess(next -> {
          String previous = state;
          state = next;
          if (!next.equals(previous)) {
            if (inSync()) {
              LOG.info("Redis replica in sync: reads go to it again");
              if (!previous.equals(UNKNOWN)) {
                onBackInSync.handle(null);
              }
            } else {
              LOG.warn("Redis replica {}: reads go to the master", next);
            }
          }
          vertx.sharedData().getLocalMap(HEALTH_MAP).put(HEALTH_KEY, next);
        });
  }

  /** {@code in sync}, or why the replica should not answer reads, from its INFO replication. */
  static String describe(String info) {
    String role = field(info, "role");
    if ("master".equals(role)) {
      return "in sync"; // a server of its own: what it holds is current
    }
    if (!"up".equals(field(info, "master_link_status"))) {
      return "lagging: link to its master is down";
    }
    if ("1".equals(field(info, "master_sync_in_progress"))) {
      return "lagging: loading a full copy from its master";
    }
    String silence = field(info, "master_last_io_seconds_ago");
    if (silence != null && silence.matches("\\d{1,9}") && Long.parseLong(silence) > MAX_MASTER_SILENCE_S) {
      return "lagging: nothing from its master for " + silence + " s";
    }
    return "in sync";
  }

  private static String field(String info, String name) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(name + ":")) {
        return line.substring(name.length() + 1).trim();
      }
    }
    return null;
  }

  private <T> Future<T> either(Function<Redis, Future<T>> command) {
    if (!inSync()) {
      return command.apply(master).recover(e -> command.apply(replica));
    }
    return command.apply(replica).timeout(REPLICA_ANSWER_MS, TimeUnit.MILLISECONDS)
        .recover(e -> command.apply(master));
  }

  @Override
  public Future<Response> send(Request request) {
    return either(client -> client.send(request));
  }

  @Override
  public Future<List<Response>> batch(List<Request> requests) {
    return either(client -> client.batch(requests));
  }

  @Override
  public Future<RedisConnection> connect() {
    return inSync() ? replica.connect() : master.connect();
  }

  @Override
  public Future<Void> close() {
    vertx.cancelTimer(timer);
    return Future.join(replica.close(), master.close()).mapEmpty();
  }
}
