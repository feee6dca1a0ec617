package dev.portico.admin;

import dev.portico.contract.RedisKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Slows password guessing: failed logins are counted per user name and per client address over
 * a window in Redis (so every admin node counts together); past a limit, logins for that user or
 * from that address are refused with 429 and the seconds left in the window, before any password
 * is checked. A successful login clears the user's count.
 */
final class LoginThrottle {

  static final int WINDOW_SECONDS = 900;
  static final int MAX_FAILURES_PER_USER = 5;
  static final int MAX_FAILURES_PER_ADDRESS = 20;

  private static final String COUNT_SCRIPT = """
      for i = 1, #KEYS do
        if redis.call('INCR', KEYS[i]) == 1 then redis.call('EXPIRE', KEYS[i], ARGV[1]) end
      end
      return 1
      """;

  private final Records records;

  LoginThrottle(Records records) {
    this.records = records;
  }

  /** Fails with 429 when {@code user} or {@code address} has failed too often lately. */
  Future<Void> check(String user, String address) {
    String userKey = userKey(user);
    String addressKey = addressKey(address);
    return records.getAll(java.util.List.of(userKey, addressKey)).compose(counts -> {
      if (count(counts.get(0)) >= MAX_FAILURES_PER_USER) {
        return refuse(userKey, "too many failed logins for this user");
      }
      if (count(counts.get(1)) >= MAX_FAILURES_PER_ADDRESS) {
        return refuse(addressKey, "too many failed logins from this address");
      }
      return Future.succeededFuture();
    });
  }

  Future<Void> failed(String user, String address) {
    return records.send(Request.cmd(Command.EVAL).arg(COUNT_SCRIPT).arg(2).arg(userKey(user)).arg(addressKey(address))
        .arg(WINDOW_SECONDS)).mapEmpty();
  }

  Future<Void> succeeded(String user) {
    return records.send(Request.cmd(Command.DEL).arg(userKey(user))).mapEmpty();
  }

  private Future<Void> refuse(String key, String detail) {
    return records.send(Request.cmd(Command.TTL).arg(key)).compose(ttl -> Future.failedFuture(
        ApiError.tooManyRequests(detail, secondsLeft(ttl))));
  }

  private static long secondsLeft(Response ttl) {
    long seconds = ttl == null ? WINDOW_SECONDS : ttl.toLong();
    return seconds > 0 ? seconds : WINDOW_SECONDS;
  }

  private static int count(String value) {
    return value == null ? 0 : Integer.parseInt(value);
  }

  private static String userKey(String user) {
    return RedisKeys.LOGIN_FAILURES_PREFIX + "user:" + user;
  }

  private static String addressKey(String address) {
    return RedisKeys.LOGIN_FAILURES_PREFIX + "addr:" + address;
  }
}
