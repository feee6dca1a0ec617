package dev.portico.edge.tls;

import dev.portico.contract.Pem;
import dev.portico.contract.RedisKeys;
import dev.portico.contract.SecretBox;
import dev.portico.contract.StoredCertificate;
import dev.portico.edge.EdgeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * The certificate served when no other fits: to clients without SNI and for names that have no
 * certificate. Either configured (PEM files), or generated once for the whole cluster: the
 * first node to start stores a self-signed EC P-256 certificate under
 * {@link RedisKeys#FALLBACK_CERT} with {@code SET NX}, and every node serves the one stored.
 */
final class FallbackCertificate {

  private static final Logger LOG = LoggerFactory.getLogger(FallbackCertificate.class);
  private static final String SUBJECT = "CN=Portico fallback certificate";
  private static final Duration VALIDITY = Duration.ofDays(3650);

  private FallbackCertificate() {
  }

  /** Loads the configured fallback, else the cluster's stored one (storing a new one if none is). */
  static Future<KeyMaterial> load(Vertx vertx, Redis redis, EdgeOptions.TlsOptions options, SecretBox secrets,
      WorkerExecutor parsing) {
    if (options.fallbackCertFile() != null) {
      return vertx.executeBlocking(() -> KeyMaterial.fromPem(options.fallbackCertFile(),
          Files.readString(Path.of(options.fallbackCertFile())), Files.readString(Path.of(options.fallbackKeyFile()))));
    }
    return vertx.executeBlocking(() -> generate(secrets))
        .compose(generated -> redis.send(Request.cmd(Command.SET).arg(RedisKeys.FALLBACK_CERT)
                .arg(generated.toJson().encode()).arg("NX"))
            .onSuccess(set -> {
              if (set != null) {
                LOG.info("Stored a new self-signed fallback certificate for the cluster");
              }
            }))
        .compose(set -> fromRedis(redis, secrets, parsing))
        .recover(e -> {
          // A broken shared fallback must not keep edges from starting: serve a local one meanwhile.
          LOG.error("Cannot use the fallback certificate {} ({}); serving one generated for this node only",
              RedisKeys.FALLBACK_CERT, e.getMessage());
          return vertx.executeBlocking(() -> {
            StoredCertificate local = generate(secrets);
            return KeyMaterial.fromStored(local, RedisKeys.FALLBACK_CERT, secrets);
          });
        });
  }

  /** Reads the stored fallback certificate, parsing it on {@code parsing} (not on the event loop). */
  static Future<KeyMaterial> fromRedis(Redis redis, SecretBox secrets, WorkerExecutor parsing) {
    return redis.send(Request.cmd(Command.GET).arg(RedisKeys.FALLBACK_CERT)).compose(value -> {
      if (value == null) {
        return Future.failedFuture(RedisKeys.FALLBACK_CERT + " is missing");
      }
      String json = value.toString();
      return parsing.executeBlocking(() -> KeyMaterial.fromStored(StoredCertificate.fromJson(new JsonObject(json)),
          RedisKeys.FALLBACK_CERT, secrets), false);
    });
  }

  /** A self-signed certificate for no name, to tell clients "nothing is configured here". */
  static StoredCertificate generate(SecretBox secrets) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    Instant now = Instant.now();
    X500Name subject = new X500Name(SUBJECT);
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
        new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
        Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    return new StoredCertificate("", List.of(), Pem.encode(certificate), secrets.seal(Pem.encode(pair.getPrivate()), RedisKeys.FALLBACK_CERT),
        certificate.getNotBefore().getTime(), certificate.getNotAfter().getTime(), SUBJECT, "fallback");
  }

}
