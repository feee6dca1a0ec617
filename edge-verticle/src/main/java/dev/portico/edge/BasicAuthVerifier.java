package dev.portico.edge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.portico.contract.PasswordHash;
import dev.portico.contract.SitePolicies.BasicAuth;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

/**
 * HTTP basic authentication against a site's PBKDF2 password hashes. A hash check is slow on
 * purpose (a good part of a second), so it runs on a worker thread, and credentials that passed
 * are remembered for five minutes by a SHA-256 of the site, user, hash and password — the
 * password itself is never kept. Wrong passwords are not remembered (each costs a full check).
 */
final class BasicAuthVerifier {

  private static final Duration REMEMBER = Duration.ofMinutes(5);

  private final Vertx vertx;
  private final Cache<String, Boolean> verified = Caffeine.newBuilder().maximumSize(10_000)
      .expireAfterWrite(REMEMBER).executor(Runnable::run).build();

  BasicAuthVerifier(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Completes when {@code authorization} names a user of {@code auth} with the right password. */
  Future<Void> verify(String pattern, BasicAuth auth, String authorization) {
    Rejection challenge = new Rejection(401, "unauthorized", "This site needs a user name and password",
        "WWW-Authenticate", "Basic realm=\"" + auth.realm() + "\", charset=\"UTF-8\"");
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Future.failedFuture(challenge);
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(challenge);
    }
    int colon = decoded.indexOf(':');
    String user = colon < 0 ? null : decoded.substring(0, colon);
    String hash = user == null ? null : auth.users().get(user);
    if (hash == null) {
      return Future.failedFuture(challenge);
    }
    String password = decoded.substring(colon + 1);
    String key = sha256(pattern + '\n' + user + '\n' + hash + '\n' + password);
    if (verified.getIfPresent(key) != null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> PasswordHash.matches(password, hash), false).compose(valid -> {
      if (!valid) {
        return Future.failedFuture(challenge);
      }
      verified.put(key, Boolean.TRUE);
      return Future.succeededFuture();
    });
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
