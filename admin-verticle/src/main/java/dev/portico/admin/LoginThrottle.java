package dev.portico.admin;

import dev.portico.contract.AdminKeys;
import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;

/**
 * Slows password guessing with three counters in Redis (so every admin node counts together),
 * each over a fixed window that starts with its first failure:
 * <ul>
 *   <li>per user name and client address: {@value #PAIR_MAX} failures in 15 minutes — the tight one;
 *   <li>per client address, over all user names: {@value #ADDRESS_MAX} in 15 minutes — blocks only
 *       that address (an IPv6 client counts by its /64);
 *   <li>per user name, over all addresses: {@value #USER_MAX} in 5 minutes — against guessing spread
 *       over many addresses; it blocks that user everywhere, so its lock is short.
 * </ul>
 * An attempt is counted before its password is checked, in one Lua script that also checks the
 * limits, so parallel attempts cannot all slip in before the first failure is recorded. Past a
 * limit the answer is 429 with the seconds left in that window, and no password is checked. A
 * successful login clears its pair's count and takes back its own count from the other two; an
 * attempt that could not be checked (503) takes back all three.
 */
final class LoginThrottle {

  static final int PAIR_MAX = 5;
  static final int ADDRESS_MAX = 30;
  static final int USER_MAX = 50;
  private static final Duration PAIR_WINDOW = Duration.ofMinutes(15);
  private static final Duration ADDRESS_WINDOW = Duration.ofMinutes(15);
  private static final Duration USER_WINDOW = Duration.ofMinutes(5);
  private static final String[] REFUSALS = {"too many failed logins for this user from this address",
      "too many failed logins from this address", "too many failed logins for this user; retry later"};

  /*
   * KEYS: the pair, address and user counters; ARGV: each one's limit and window (ms) in turn.
   * Returns {0, 0} when the attempt is counted, else {the blocking counter (1-3), its ms left}.
   */
  private static final String RESERVE_SCRIPT = """
      for i = 1, #KEYS do
        if tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[2 * i - 1]) then
          return {i, redis.call('PTTL', KEYS[i])}
        end
      end
      for i = 1, #KEYS do
        redis.call('INCR', KEYS[i])
        if redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], ARGV[2 * i]) end
      end
      return {0, 0}
      """;

  /* KEYS as above; ARGV[1] '1': clear the pair and take back the others, '0': take back all three. */
  private static final String RELEASE_SCRIPT = """
      local first = 1
      if ARGV[1] == '1' then
        redis.call('DEL', KEYS[1])
        first = 2
      end
      for i = first, #KEYS do
        if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
      end
      return 1
      """;

  private final Records records;

  LoginThrottle(Records records) {
    this.records = records;
  }

  /** Counts an attempt of {@code user} from {@code address}, or fails with 429 when a limit is reached. */
  Future<Void> reserve(String user, String address) {
    Request eval = Request.cmd(Command.EVAL).arg(RESERVE_SCRIPT).arg(3);
    Arrays.stream(keys(user, address)).forEach(eval::arg);
    eval.arg(PAIR_MAX).arg(PAIR_WINDOW.toMillis()).arg(ADDRESS_MAX).arg(ADDRESS_WINDOW.toMillis())
        .arg(USER_MAX).arg(USER_WINDOW.toMillis());
    return records.send(eval).compose(answer -> {
      int blocking = answer.get(0).toInteger();
      if (blocking == 0) {
        return Future.succeededFuture();
      }
      long millisLeft = answer.get(1).toLong();
      long seconds = millisLeft > 0 ? (millisLeft + 999) / 1000 : PAIR_WINDOW.toSeconds();
      return Future.failedFuture(ApiError.tooManyRequests(REFUSALS[blocking - 1], seconds));
    });
  }

  /** The attempt was the right password. */
  Future<Void> succeeded(String user, String address) {
    return release(user, address, true);
  }

  /** The attempt's password could not be checked: it does not count. */
  Future<Void> cancelled(String user, String address) {
    return release(user, address, false);
  }

  private Future<Void> release(String user, String address, boolean succeeded) {
    Request eval = Request.cmd(Command.EVAL).arg(RELEASE_SCRIPT).arg(3);
    Arrays.stream(keys(user, address)).forEach(eval::arg);
    return records.send(eval.arg(succeeded ? "1" : "0")).mapEmpty();
  }

  private static String[] keys(String user, String address) {
    String bucket = addressBucket(address);
    return new String[] {AdminKeys.LOGIN_FAILURES_PREFIX + "pair:" + bucket + "|" + user,
        AdminKeys.LOGIN_FAILURES_PREFIX + "addr:" + bucket, AdminKeys.LOGIN_FAILURES_PREFIX + "user:" + user};
  }

  /**
   * The address an attempt counts for: an IPv4 address as it is (also when IPv4-mapped), an IPv6
   * address by its /64, which one client usually holds whole.
   */
  static String addressBucket(String address) {
    byte[] literal = address == null ? null : NetUtil.createByteArrayFromIpAddressString(address);
    if (literal == null) {
      return String.valueOf(address);
    }
    try {
      byte[] bytes = InetAddress.getByAddress(literal).getAddress();  // an IPv4-mapped address comes back as IPv4
      if (bytes.length == 16) {
        Arrays.fill(bytes, 8, 16, (byte) 0);
        return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
      }
      return InetAddress.getByAddress(bytes).getHostAddress();
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
