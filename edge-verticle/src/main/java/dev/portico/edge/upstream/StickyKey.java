package dev.portico.edge.upstream;

import dev.portico.contract.SecretBox;
import dev.portico.contract.Target;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Function;

/**
 * The key that makes sticky-session cookies: a target's id is an HMAC-SHA256 of the site's
 * pattern and the target under a key derived from {@code PORTICO_SECRET_KEY} ({@link
 * SecretBox#derive}), cut to 128 bits — opaque (no address in it), the same on every node with
 * the same secret, and unforgeable: a made-up or altered id names no target and is ignored, as
 * is a stale one (a target the site no longer has). Without a configured secret the node makes a
 * random key at start (cookies then hold on this node, until it restarts).
 */
public final class StickyKey implements Shareable {

  private static final int ID_BYTES = 16;

  private final byte[] key;

  private StickyKey(byte[] key) {
    this.key = key;
  }

  /** The node's key (one for all its edge verticles). */
  public static StickyKey of(Vertx vertx, SecretBox secrets) {
    return (StickyKey) vertx.sharedData().getLocalMap("portico.edge.sticky").computeIfAbsent("key", name -> {
      byte[] derived = secrets.derive("sticky-cookie");
      if (derived == null) {
        derived = new byte[32];
        new SecureRandom().nextBytes(derived);
      }
      return new StickyKey(derived);
    });
  }

  /** A key for tests: the same bytes give the same ids. */
  static StickyKey of(byte[] key) {
    return new StickyKey(key.clone());
  }

  /** The ids of one site's targets. */
  public Function<Target, String> idsFor(String pattern) {
    return target -> id(pattern + "\n" + target);
  }

  private String id(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] tag = mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(tag, ID_BYTES));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}
