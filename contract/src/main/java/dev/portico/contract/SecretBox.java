package dev.portico.contract;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * How secrets (private keys, DNS provider credentials) are stored in Redis: AES-256-GCM under
 * the key from {@code PORTICO_SECRET_KEY}, with a fresh 96-bit nonce per value and the Redis
 * key the value belongs to as associated data, so a sealed value copied under another key does
 * not open. Without a configured key, values are stored as {@code plain:} text (start-up warns).
 *
 * <p>Stored forms: {@code aesgcm1:<base64(nonce || ciphertext || tag)>} or {@code plain:<text>}.
 */
public final class SecretBox {

  private static final String SEALED = "aesgcm1:";
  private static final String PLAIN = "plain:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private SecretBox(SecretKeySpec key) {
    this.key = key;
  }

  /**
   * A box for the configured secret: 32 bytes in base64 (e.g. {@code openssl rand -base64 32}),
   * or any other text, which is hashed with SHA-256 into a key. {@code null} or blank: no
   * encryption.
   */
  public static SecretBox fromSecret(String secret) {
    if (secret == null || secret.isBlank()) {
      return new SecretBox(null);
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(secret.trim());
    } catch (IllegalArgumentException notBase64) {
      bytes = null;
    }
    if (bytes == null || bytes.length != 32) {
      bytes = sha256(secret.getBytes(StandardCharsets.UTF_8));
    }
    return new SecretBox(new SecretKeySpec(bytes, "AES"));
  }

  public boolean encrypts() {
    return key != null;
  }

  /**
   * A 32-byte key for one {@code purpose} (e.g. {@code "sticky-cookie"}), derived from the
   * configured secret as HKDF-Expand's first block (HMAC-SHA256 over the purpose and 0x01), so
   * each use has its own key and none reveals the secret; the same on every node with the same
   * secret. {@code null} without a configured secret.
   */
  public byte[] derive(String purpose) {
    if (key == null) {
      return null;
    }
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      mac.update(("portico:" + purpose).getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(new byte[] {1});
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  /** Whether {@code stored} is a value sealed with a key (not one kept in clear). */
  public static boolean isSealed(String stored) {
    return stored != null && stored.startsWith(SEALED);
  }

  /** Whether {@code value} is in a stored form ({@link #seal}'s output, sealed or {@code plain:}). */
  public static boolean isStored(String value) {
    return value != null && (value.startsWith(SEALED) || value.startsWith(PLAIN));
  }

  /** Seals {@code plaintext} for storage under the Redis key {@code context}. */
  public String seal(String plaintext, String context) {
    if (key == null) {
      return PLAIN + plaintext;
    }
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, context);
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[NONCE_BYTES + sealed.length];
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return SEALED + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /**
   * Opens a value {@link #seal sealed} under {@code context}.
   *
   * @throws IllegalArgumentException when the value is sealed but this box has no key or the
   *     wrong one, or it was sealed for another context, or it is not a stored secret at all
   */
  public String open(String stored, String context) {
    if (stored.startsWith(PLAIN)) {
      return stored.substring(PLAIN.length());
    }
    if (!stored.startsWith(SEALED)) {
      throw new IllegalArgumentException("not a stored secret");
    }
    if (key == null) {
      throw new IllegalArgumentException("secret is encrypted but PORTICO_SECRET_KEY is not set");
    }
    try {
      byte[] in = Base64.getDecoder().decode(stored.substring(SEALED.length()));
      if (in.length <= NONCE_BYTES) {
        throw new IllegalArgumentException("stored secret is truncated");
      }
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(in, NONCE_BYTES), context);
      byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("secret does not open with PORTICO_SECRET_KEY (wrong key or altered value)");
    }
  }

  private Cipher cipher(int mode, byte[] nonce, String context) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
