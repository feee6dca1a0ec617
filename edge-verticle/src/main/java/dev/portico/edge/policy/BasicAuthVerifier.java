package dev.portico.edge.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.portico.contract.PasswordHash;
import dev.portico.contract.BasicAuthPolicy;
import dev.portico.edge.pipeline.Rejection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

/**
 * HTTP basic authentication against a site's PBKDF2 password hashes. A hash check is slow on
 * purpose (a good part of a second), so it runs on a small pool of its own, never on the event
 * loop nor on the worker pool the admin API and others share; how many checks may wait there is
 * bounded, per node and per site ({@link PasswordChecks}): past that, 503. A client that failed
 * {@link PasswordChecks#MAX_FAILURES} times for a site within a minute gets 429 for a minute,
 * right password or not; an IPv6 client counts by its /64, which one client usually holds whole (so
 * moving through its addresses gives no more guesses). An unknown user costs a check against a dummy hash of Portico's cost, so
 * that known and unknown users take as long. Credentials that passed are remembered for five
 * minutes by a SHA-256 of the site, user, hash and password — the password itself is never kept.
 */
public final class BasicAuthVerifier {

  private static final Duration REMEMBER = Duration.ofMinutes(5);
  /** A digest per thread: {@code MessageDigest.getInstance} looks up providers on every call. */
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });
  static final int POOL_THREADS = 2;

  private final PasswordChecks checks;
  private final WorkerExecutor pool;
  private final Cache<String, Boolean> verified = Caffeine.newBuilder().maximumSize(10_000)
      .expireAfterWrite(REMEMBER).executor(Runnable::run).build();

  public BasicAuthVerifier(Vertx vertx) {
    this.checks = PasswordChecks.of(vertx);
    // One pool per node, shared by name by every edge verticle instance (and closed with them).
    this.pool = vertx.createSharedWorkerExecutor("portico-basic-auth", POOL_THREADS);
  }

  /**
   * Completes when {@code authorization} names a user of {@code auth} with the right password;
   * {@code client}: the client's normalised address ({@code null} when unknown), whose failures are
   * counted per site.
   */
  Future<Void> verify(String pattern, BasicAuthPolicy auth, String authorization, byte[] client) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return challenge(auth);
    }
    String failureKey = pattern + '\n' + clientKey(client);
    long lockedSeconds = checks.lockedOutSeconds(failureKey);
    if (lockedSeconds > 0) {
      return Future.failedFuture(new Rejection(429, "too many failed attempts", "Too many wrong passwords from your "
          + "address for this site; try again later", "Retry-After", Long.toString(lockedSeconds)));
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return challenge(auth);
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return challenge(auth);
    }
    String user = decoded.substring(0, colon);
    String password = decoded.substring(colon + 1);
    String hash = auth.users().get(user);
    String key = hash == null ? null : sha256(pattern + '\n' + user + '\n' + hash + '\n' + password);
    if (key != null && verified.getIfPresent(key) != null) {
      return Future.succeededFuture();
    }
    if (!checks.admit(pattern)) {
      return Future.failedFuture(new Rejection(503, "authentication busy", "Too many password checks are waiting; "
          + "try again shortly", "Retry-After", "1"));
    }
    return pool.executeBlocking(() -> matches(password, hash), false)
        .andThen(done -> checks.finished(pattern))
        .compose(valid -> {
          if (!valid) {
            checks.failed(failureKey);
            return challenge(auth);
          }
          verified.put(key, Boolean.TRUE);
          return Future.succeededFuture();
        });
  }

  private static <T> Future<T> challenge(BasicAuthPolicy auth) {
    return Future.failedFuture(new Rejection(401, "unauthorized", "This site needs a user name and password",
        "WWW-Authenticate", "Basic realm=\"" + auth.realm() + "\", charset=\"UTF-8\""));
  }

  /** Whose failures count together: an IPv4 client by its address, an IPv6 client by its /64. */
  static String clientKey(byte[] address) {
    if (address == null) {
      return "none";
    }
    return address.length == 16 ? HexFormat.of().formatHex(address, 0, 8) + "/64" : HexFormat.of().formatHex(address);
  }

  /** Runs on the pool. An unknown user ({@code hash} null) costs as much as a known one, and never matches. */
  private boolean matches(String password, String hash) {
    if (hash == null) {
      PasswordHash.matches(password, checks.dummyHash());
      return false;
    }
    return PasswordHash.matches(password, hash);
  }

  private static String sha256(String text) {
    return HexFormat.of().formatHex(SHA_256.get().digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
