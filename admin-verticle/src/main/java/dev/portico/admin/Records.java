package dev.portico.admin;

import dev.portico.contract.AdminKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * The admin API's access to Redis: reads, pages over the name-ordered indexes, and
 * {@link Write}s — each one atomic compare-and-set of one record together with its indexes, its
 * change notification and its audit entry, in one Lua script, so nothing is ever half-written.
 * Every Redis failure comes back as a 503 {@link ApiError}.
 */
final class Records {

  /** Audit entries kept: the stream is trimmed (approximately) to this length. */
  static final int AUDIT_MAX_LENGTH = 100_000;

  private static final String ABSENT = "0";
  private static final String EQUALS = "1";

  /*
   * KEYS[1] record, KEYS[2] audit stream, KEYS[3..] indexes, then the keys dropped with the record.
   * ARGV[1] expectation (0 absent, 1 equal to ARGV[2]), ARGV[3] new value ('' = delete),
   * ARGV[4] channel ('' = none), ARGV[5] message, ARGV[6..10] audit who/action/resource/before/after,
   * ARGV[11] audit max length, ARGV[12] number of indexes, then for each index: op ('add'|'rem') and member.
   */
  private static final String WRITE_SCRIPT = """
      local current = redis.call('GET', KEYS[1])
      if ARGV[1] == '0' then
        if current then return 0 end
      elseif current ~= ARGV[2] then
        return 0
      end
      if ARGV[3] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[3]) end
      local indexes = tonumber(ARGV[12])
      for i = 3, 2 + indexes do
        local op, member = ARGV[13 + (i - 3) * 2], ARGV[14 + (i - 3) * 2]
        if op == 'add' then redis.call('ZADD', KEYS[i], 0, member) else redis.call('ZREM', KEYS[i], member) end
      end
      for i = 3 + indexes, #KEYS do redis.call('DEL', KEYS[i]) end
      if ARGV[4] ~= '' then redis.call('PUBLISH', ARGV[4], ARGV[5]) end
      redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[11], '*', 'who', ARGV[6], 'action', ARGV[7],
        'resource', ARGV[8], 'before', ARGV[9], 'after', ARGV[10])
      return 1
      """;

  private final Redis redis;

  Records(Redis redis) {
    this.redis = redis;
  }

  /** The value of {@code key}, or {@code null}. */
  Future<String> get(String key) {
    return send(Request.cmd(Command.GET).arg(key)).map(response -> response == null ? null : response.toString());
  }

  /** The values of {@code keys} in order, {@code null} where a key is missing. */
  Future<List<String>> getAll(List<String> keys) {
    if (keys.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Request mget = Request.cmd(Command.MGET);
    keys.forEach(mget::arg);
    return send(mget).map(response -> {
      List<String> values = new ArrayList<>(response.size());
      response.forEach(value -> values.add(value == null ? null : value.toString()));
      return values;
    });
  }

  /**
   * Up to {@code limit} members of a name-ordered index that start with {@code prefix} and sort
   * after {@code after} (both optional), and the member to continue after when there are more.
   */
  Future<Page> page(String index, String prefix, String after, int limit) {
    String min = prefix == null || prefix.isEmpty() ? "-" : "[" + prefix;
    if (after != null && !after.isEmpty() && (prefix == null || after.compareTo(prefix) >= 0)) {
      min = "(" + after;
    }
    String max = prefix == null || prefix.isEmpty() ? "+" : "[" + prefix + "\u00ff";
    Request range = Request.cmd(Command.ZRANGEBYLEX).arg(index).arg(min).arg(max).arg("LIMIT").arg(0).arg(limit + 1);
    return send(range).map(response -> {
      List<String> members = new ArrayList<>(response.size());
      response.forEach(member -> members.add(member.toString()));
      boolean more = members.size() > limit;
      List<String> items = more ? members.subList(0, limit) : members;
      return new Page(List.copyOf(items), more ? items.get(items.size() - 1) : null);
    });
  }

  /** Runs {@code write}; fails with 409 when the record is no longer what the caller read. */
  Future<Void> write(Write write) {
    Request eval = Request.cmd(Command.EVAL).arg(WRITE_SCRIPT)
        .arg(2 + write.indexes().size() + write.dropped().size()).arg(write.key()).arg(AdminKeys.AUDIT_STREAM);
    write.indexes().forEach(index -> eval.arg(index.key()));
    write.dropped().forEach(eval::arg);
    eval.arg(write.expected() == null ? ABSENT : EQUALS)
        .arg(write.expected() == null ? "" : write.expected())
        .arg(write.value() == null ? "" : write.value())
        .arg(write.channel() == null ? "" : write.channel())
        .arg(write.message() == null ? "" : write.message())
        .arg(write.audit().who()).arg(write.audit().action()).arg(write.audit().resource())
        .arg(write.audit().before()).arg(write.audit().after())
        .arg(AUDIT_MAX_LENGTH)
        .arg(write.indexes().size());
    write.indexes().forEach(index -> eval.arg(index.add() ? "add" : "rem").arg(index.member()));
    return send(eval).compose(response -> response.toInteger() == 1 ? Future.succeededFuture()
        : Future.failedFuture(ApiError.conflict(write.key() + " was changed at the same time; read it again and retry")));
  }

  /** Sends one command; a Redis failure becomes a 503. */
  Future<Response> send(Request request) {
    return redis.send(request).recover(e -> Future.failedFuture(e instanceof ApiError ? e
        : ApiError.unavailable("Redis is unreachable: " + e.getMessage())));
  }

  /** One page of an index and the member to ask {@code after} for the next one. */
  record Page(List<String> items, String next) {
  }

  /** Adds a member to, or removes it from, a name-ordered index. */
  record IndexOp(String key, String member, boolean add) {
  }

  /** Who changed what: {@code before} and {@code after} are JSON with every secret masked. */
  record Audit(String who, String action, String resource, String before, String after) {
  }

  /**
   * An atomic change of {@code key} from {@code expected} ({@code null}: must not exist) to
   * {@code value} ({@code null}: delete), with index updates, a notification published on
   * {@code channel} (optional) and an audit entry; {@code dropped} keys (what lives and dies with
   * the record, such as a user's grants) are deleted in the same step.
   */
  record Write(String key, String expected, String value, List<IndexOp> indexes, String channel, String message,
      Audit audit, List<String> dropped) {

    Write(String key, String expected, String value, List<IndexOp> indexes, String channel, String message,
        Audit audit) {
      this(key, expected, value, indexes, channel, message, audit, List.of());
    }
  }
}
