package dev.portico.edge.sso;

import dev.portico.contract.RedisKeys;
import dev.portico.contract.SecretBox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The sign-ins under way and the sessions. A sign-in under way lives in the browser's state
 * cookie, sealed ({@link SecretBox}: nobody reads its nonce and PKCE verifier or forges one), and
 * its {@code state} is spent in Redis by the first callback ({@code SET NX}, for
 * {@link #LOGIN_TTL_S}: no second callback anywhere in the cluster). Sessions are in Redis, so
 * every edge honours them: a session under the SHA-256 of its cookie's random id (what Redis holds
 * does not let anyone present the cookie), its refresh token sealed, gone after the session TTL or
 * when ended.
 */
final class SsoStore {

  private static final Logger LOG = LoggerFactory.getLogger(SsoStore.class);
  static final int LOGIN_TTL_S = 600;
  /** What a sealed sign-in is opened as: a value sealed for anything else does not open. */
  private static final String LOGIN_CONTEXT = "portico:sso-login-cookie";
  private static final int MAX_LOGIN_COOKIE_CHARS = 4096;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Redis redis;
  private final SecretBox secrets;
  private final long sessionTtlSeconds;

  SsoStore(Redis redis, SecretBox secrets, long sessionTtlSeconds) {
    this.redis = redis;
    this.secrets = secrets;
    this.sessionTtlSeconds = sessionTtlSeconds;
  }

  /** 32 random bytes, base64url without padding: 43 characters. */
  static String randomId() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Whether {@code text} has the shape of a {@link #randomId} (checked before Redis is asked). */
  static boolean isRandomId(String text) {
    if (text == null || text.length() != 43) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /** {@code login} sealed as a cookie value (base64url: the sealed text has characters a cookie may not). */
  String sealLogin(JsonObject login) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(
        secrets.seal(login.encode(), LOGIN_CONTEXT).getBytes(StandardCharsets.US_ASCII));
  }

  /** The sign-in sealed in {@code cookie}, or {@code null} when there is none, or it is forged or altered. */
  JsonObject openLogin(String cookie) {
    if (cookie == null || cookie.length() > MAX_LOGIN_COOKIE_CHARS) {
      return null;
    }
    try {
      return new JsonObject(secrets.open(new String(Base64.getUrlDecoder().decode(cookie), StandardCharsets.US_ASCII),
          LOGIN_CONTEXT));
    } catch (RuntimeException forged) {
      return null;
    }
  }

  /** Spends {@code state}: {@code true} the first time anywhere in the cluster, {@code false} after. */
  Future<Boolean> spendState(String state) {
    return redis.send(Request.cmd(Command.SET).arg(RedisKeys.ssoLogin(state)).arg("1").arg("NX")
        .arg("EX").arg(LOGIN_TTL_S)).map(reply -> reply != null);
  }

  /** The session of the cookie value {@code id}, or {@code null} (also for a value in Redis that is not a session). */
  Future<Session> session(String id) {
    String key = sessionKey(id);
    return redis.send(Request.cmd(Command.GET).arg(key)).map(value -> {
      if (value == null) {
        return null;
      }
      try {
        JsonObject json = new JsonObject(value.toBuffer());
        String refresh = json.getString("refreshToken");
        return Session.fromJson(json.put("refreshToken", refresh == null ? null : secrets.open(refresh, key)));
      } catch (RuntimeException notASession) {
        LOG.warn("{} holds no usable session: {}", key, notASession.getMessage());
        return null;
      }
    });
  }

  /** Stores a new {@code session} under {@code id} for the whole session TTL. */
  Future<Void> saveSession(String id, Session session) {
    return writeSession(id, session, false);
  }

  /**
   * Stores a renewed {@code session} only while its session still exists ({@code XX}): a
   * renewal that was under way when the visitor signed out does not bring it back.
   */
  Future<Void> renewSession(String id, Session session) {
    return writeSession(id, session, true);
  }

  private Future<Void> writeSession(String id, Session session, boolean onlyIfPresent) {
    String key = sessionKey(id);
    JsonObject json = session.toJson();
    if (session.refreshToken() != null) {
      json.put("refreshToken", secrets.seal(session.refreshToken(), key));
    }
    Request set = Request.cmd(Command.SET).arg(key).arg(json.encode()).arg("EX").arg(sessionTtlSeconds);
    return redis.send(onlyIfPresent ? set.arg("XX") : set).mapEmpty();
  }

  Future<Void> endSession(String id) {
    return redis.send(Request.cmd(Command.DEL).arg(sessionKey(id))).mapEmpty();
  }

  long sessionTtlSeconds() {
    return sessionTtlSeconds;
  }

  private static String sessionKey(String id) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.US_ASCII));
      return RedisKeys.ssoSession(Base64.getUrlEncoder().withoutPadding().encodeToString(hash));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
