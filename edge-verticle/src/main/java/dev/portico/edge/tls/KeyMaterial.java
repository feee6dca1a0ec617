package dev.portico.edge.tls;

import dev.portico.contract.Pem;
import dev.portico.contract.SecretBox;
import dev.portico.contract.StoredCertificate;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.HexFormat;

/**
 * A certificate chain and its private key, parsed once and ready for handshakes. The alias names
 * this exact content (the SHA-256 of the chain), so a handshake that chose it gets exactly this
 * chain and key even if a renewal replaces the cached copy meanwhile, and the TLS engine may
 * cache its own form of the key by alias.
 *
 * @param alias  the source and the SHA-256 of the chain, handed to the TLS engine
 * @param source the Redis key it was read from (or the file it was loaded from)
 */
record KeyMaterial(String alias, String source, X509Certificate[] chain, PrivateKey key) {

  /**
   * Parses a certificate stored under {@code redisKey}, opening its sealed private key.
   *
   * @throws IllegalArgumentException saying what is wrong (never quoting the key)
   */
  static KeyMaterial fromStored(StoredCertificate stored, String redisKey, SecretBox secrets) {
    if (stored.certificatePem() == null || stored.privateKey() == null) {
      throw new IllegalArgumentException("certificatePem or privateKey missing");
    }
    return fromPem(redisKey, stored.certificatePem(), secrets.open(stored.privateKey(), redisKey));
  }

  /** Parses a PEM chain (leaf first) and a PEM private key (PKCS#8, PKCS#1 or SEC1). */
  static KeyMaterial fromPem(String source, String chainPem, String keyPem) {
    List<X509Certificate> chain = Pem.certificates(chainPem);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("no certificate in certificatePem");
    }
    PrivateKey key = Pem.privateKey(keyPem);
    checkKeyMatches(chain.get(0), key);
    X509Certificate[] certificates = chain.toArray(X509Certificate[]::new);
    return new KeyMaterial(source + "#" + fingerprint(certificates), source, certificates, key);
  }

  private static String fingerprint(X509Certificate[] chain) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      for (X509Certificate certificate : chain) {
        sha256.update(certificate.getEncoded());
      }
      return HexFormat.of().formatHex(sha256.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A key that does not belong to the leaf would fail every handshake: refuse it here instead. */
  private static void checkKeyMatches(X509Certificate leaf, PrivateKey key) {
    if (!StoredCertificate.keyMatches(leaf, key)) {
      throw new IllegalArgumentException("private key does not match the certificate");
    }
  }

  /** Whether this key can serve a handshake that asks for {@code keyType} (JDK or Netty naming). */
  boolean serves(String keyType) {
    return key.getAlgorithm().equals("EC") ? keyType.startsWith("EC")
        : key.getAlgorithm().equals("RSA") && !keyType.startsWith("EC") && keyType.contains("RSA");
  }
}
