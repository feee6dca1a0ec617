package dev.portico.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A certificate as stored under {@link RedisKeys#cert} (and {@link RedisKeys#FALLBACK_CERT}):
 *
 * <pre>{"name": "*.example.com", "names": ["*.example.com", "example.com"],
 *  "certificatePem": "-----BEGIN CERTIFICATE-----...", (leaf first, then the chain)
 *  "privateKey": "aesgcm1:...", ({@link SecretBox#seal} of the PEM key, context = the Redis key)
 *  "notBefore": 1763856000000, "notAfter": 1771632000000, (epoch milliseconds)
 *  "issuer": "CN=Pebble Intermediate CA", "source": "acme"|"manual"|"fallback"}</pre>
 */
public record StoredCertificate(String name, List<String> names, String certificatePem,
    String privateKey, long notBefore, long notAfter, String issuer, String source) {

  public StoredCertificate {
    names = List.copyOf(names);
  }

  public static StoredCertificate fromJson(JsonObject json) {
    JsonArray names = json.getJsonArray("names", new JsonArray());
    return new StoredCertificate(json.getString("name"), names.getList(),
        json.getString("certificatePem"), json.getString("privateKey"),
        json.getLong("notBefore", 0L), json.getLong("notAfter", 0L),
        json.getString("issuer"), json.getString("source"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("names", new JsonArray(names))
        .put("certificatePem", certificatePem)
        .put("privateKey", privateKey)
        .put("notBefore", notBefore)
        .put("notAfter", notAfter)
        .put("issuer", issuer)
        .put("source", source);
  }

  /**
   * Whether {@code key} is the private key of {@code leaf}: a probe signed with it verifies with
   * the certificate's public key. (A mismatched pair would fail every handshake.)
   */
  public static boolean keyMatches(java.security.cert.X509Certificate leaf, java.security.PrivateKey key) {
    String algorithm = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default -> key.getAlgorithm();
    };
    try {
      byte[] probe = "portico key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      java.security.Signature signer = java.security.Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }
}
