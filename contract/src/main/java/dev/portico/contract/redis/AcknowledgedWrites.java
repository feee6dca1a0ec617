package dev.portico.contract.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A client of the master whose writes, when the master has replicas, complete only once a replica
 * holds them: each is sent with {@code WAIT 1 <timeout>} on the same connection. When no replica
 * confirms within the timeout the write has still been made on the master, but the future fails
 * ({@link NotReplicatedException}): the caller must not report it as safe, since a failover now
 * could lose it. Without online replicas (a standalone server, or replicas still loading their
 * first copy) writes are sent as they are. The master is asked ({@code INFO replication}) at most
 * once a second (every 100 ms while it has no replica online).
 */
public final class AcknowledgedWrites implements Redis {

  /** Commands that change nothing; every other one (EVAL included) is treated as a write. */
  private static final Set<Command> READS = Set.of(Command.GET, Command.MGET, Command.EXISTS, Command.TTL,
      Command.PTTL, Command.STRLEN, Command.TYPE, Command.SCAN, Command.PING, Command.INFO, Command.DBSIZE,
      Command.ZCARD, Command.ZSCORE, Command.ZRANGE, Command.ZRANGEBYLEX, Command.ZREVRANGEBYLEX,
      Command.ZRANGEBYSCORE, Command.ZREVRANGE, Command.XRANGE, Command.XREVRANGE, Command.XLEN, Command.HGET,
      Command.HGETALL, Command.HMGET, Command.SMEMBERS, Command.SISMEMBER, Command.SCARD);
  private static final long REPLICA_COUNT_TTL_MS = 1_000;
  private static final long NO_REPLICA_TTL_MS = 100;

  private final Redis master;
  private final long timeoutMs;
  private long replicasAskedAt;
  private Future<Integer> replicas;

  public AcknowledgedWrites(Redis master, long timeoutMs) {
    this.master = master;
    this.timeoutMs = timeoutMs;
  }

  /** The write was made on the master, but no replica confirmed it in time. */
  public static final class NotReplicatedException extends RuntimeException {
    NotReplicatedException(long timeoutMs) {
      super("the change was made on the Redis master but no replica confirmed it within " + timeoutMs
          + " ms; it may be lost if the master fails now: read it back before retrying", null, false, false);
    }
  }

  @Override
  public Future<Response> send(Request request) {
    if (READS.contains(request.command())) {
      return master.send(request);
    }
    return batch(List.of(request)).map(responses -> responses.get(0));
  }

  @Override
  public Future<List<Response>> batch(List<Request> requests) {
    if (requests.stream().allMatch(request -> READS.contains(request.command()))) {
      return master.batch(requests);
    }
    return replicas().compose(count -> {
      if (count == 0) {
        return master.batch(requests);
      }
      List<Request> waited = new ArrayList<>(requests);
      waited.add(Request.cmd(Command.WAIT).arg(1).arg(timeoutMs));
      return master.batch(waited).compose(responses -> responses.get(requests.size()).toInteger() < 1
          ? Future.failedFuture(new NotReplicatedException(timeoutMs))
          : Future.succeededFuture(responses.subList(0, requests.size())));
    });
  }

  /** How many replicas the master has, asked again when the last answer is a second old. */
  private synchronized Future<Integer> replicas() {
    long now = System.currentTimeMillis();
    // "no replica online" is asked again sooner: a replica finishing its first copy must be
    // waited for from its first writes on (a start-up write must not hide it for a second)
    long ttl = replicas != null && replicas.succeeded() && replicas.result() == 0 ? NO_REPLICA_TTL_MS
        : REPLICA_COUNT_TTL_MS;
    if (replicas == null || now - replicasAskedAt > ttl || replicas.failed()) {
      replicasAskedAt = now;
      replicas = master.send(Request.cmd(Command.INFO).arg("replication"))
          .map(info -> onlineReplicas(info.toString()));
    }
    return replicas;
  }

  /**
   * Replicas that can acknowledge: {@code slave<n>:…,state=online,…}. One still loading its first
   * copy (state {@code wait_bgsave}, {@code send_bulk}) cannot, and is not waited for.
   */
  static int onlineReplicas(String info) {
    int online = 0;
    for (String line : info.split("\r?\n")) {
      if (line.matches("slave\\d+:.*") && line.contains("state=online")) {
        online++;
      }
    }
    return online;
  }

  @Override
  public Future<RedisConnection> connect() {
    return master.connect();
  }

  @Override
  public Future<Void> close() {
    return master.close();
  }
}
