package dev.portico.contract;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How passwords are stored, by the admin API (its users, sites' basic-auth users) and checked,
 * by the admin API and the edge: PBKDF2-HMAC-SHA256 (the JDK's, no native code), salted, at OWASP's
 * recommended 600 000 iterations, as {@code pbkdf2-sha256$600000$<16-byte salt>$<32-byte hash>}
 * (base64). Hashing takes a good part of a second on purpose: callers run it on a bounded worker
 * pool, never on an event loop.
 *
 * <p>Only Portico's own parameters are ever used: the cost of a check is Portico's choice, not
 * the choice of whoever wrote the hash (a tenant through the API, or anyone who can write Redis).
 * A stored hash with other parameters never matches. Raising the cost later means accepting the
 * old and the new parameter set here, and rehashing on the next successful check.
 */
public final class PasswordHash {

  public static final int ITERATIONS = 600_000;
  private static final String SCHEME = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Logger LOG = LoggerFactory.getLogger(PasswordHash.class);
  /** A refused hash is logged once per process: the edge may see it on every request. */
  private static final AtomicBoolean FOREIGN_LOGGED = new AtomicBoolean();

  private PasswordHash() {
  }

  public static String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
    return SCHEME + "$" + ITERATIONS + "$" + base64.encodeToString(salt) + "$"
        + base64.encodeToString(pbkdf2(password, salt));
  }

  /** Whether {@code stored} is a hash with exactly Portico's scheme, cost, salt and hash length. */
  public static boolean isPorticos(String stored) {
    return parse(stored) != null;
  }

  /**
   * Whether {@code password} is the one {@code stored} was made from. A stored value that is not
   * one of Portico's own hashes ({@link #isPorticos}) never matches and costs nothing to refuse.
   */
  public static boolean matches(String password, String stored) {
    byte[][] saltAndHash = parse(stored);
    if (saltAndHash == null) {
      if (FOREIGN_LOGGED.compareAndSet(false, true)) {
        LOG.warn("Refused a stored password hash that is not {}${}$<16-byte salt>$<32-byte hash> (written outside "
            + "the admin API?); its check always fails. Set the password again through the admin API. "
            + "Logged once.", SCHEME, ITERATIONS);
      }
      return false;
    }
    return MessageDigest.isEqual(saltAndHash[1], pbkdf2(password, saltAndHash[0]));
  }

  /** A random password for the first admin, printable and long enough not to need a policy. */
  public static String generate() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** {salt, hash} of one of Portico's own hashes, else {@code null}. */
  private static byte[][] parse(String stored) {
    String[] parts = stored == null ? new String[0] : stored.split("\\$", -1);
    if (parts.length != 4 || !SCHEME.equals(parts[0]) || !Integer.toString(ITERATIONS).equals(parts[1])) {
      return null;
    }
    try {
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] hash = Base64.getDecoder().decode(parts[3]);
      return salt.length == SALT_BYTES && hash.length == HASH_BYTES ? new byte[][] {salt, hash} : null;
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
  }

  private static byte[] pbkdf2(String password, byte[] salt) {
    try {
      PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, HASH_BYTES * 8);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
    }
  }
}
