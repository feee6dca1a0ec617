package dev.portico.launcher;

import dev.portico.contract.RedisKeys;
import dev.portico.contract.SecretBox;
import dev.portico.contract.StoredCertificate;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Real certificates for tests: self-signed EC P-256, with the names as SANs, stored as Portico stores them. */
final class TestCertificates {

  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

  private TestCertificates() {
  }

  /** A certificate for {@code names} (the first is the stored name), as JSON for {@code portico:cert:<name>}. */
  static String stored(String... names) {
    return stored(SecretBox.fromSecret(Harness.SECRET_KEY), names);
  }

  static String stored(SecretBox box, String... names) {
    return storedUnder(box, RedisKeys.cert(names[0]), names);
  }

  /** A certificate for {@code names} whose key is sealed for the Redis key {@code redisKey}. */
  static String storedUnder(SecretBox box, String redisKey, String... names) {
    String[] pems = pems(names);
    X509Certificate certificate = parse(pems[0]);
    return new StoredCertificate(names[0], List.of(names), pems[0], box.seal(pems[1], redisKey),
        certificate.getNotBefore().getTime(), certificate.getNotAfter().getTime(), "CN=" + names[0], "manual")
        .toJson().encode();
  }

  /** A certificate for {@code names} and its key, as PEM: {certificate, PKCS#8 private key}. */
  static String[] pems(String... names) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + names[0]),
          BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
          Date.from(now.plus(Duration.ofDays(90))), new X500Name("CN=" + names[0]), pair.getPublic());
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(Arrays.stream(names)
          .map(name -> new GeneralName(GeneralName.dNSName, name)).toArray(GeneralName[]::new)));
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      return new String[] {pem(certificate), pem(pair.getPrivate())};
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static X509Certificate parse(String pem) {
    try {
      return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String pem(Object object) throws Exception {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      // keys as PKCS#8: SunEC's keys written as SEC1 would lose their curve
      writer.writeObject(object instanceof java.security.PrivateKey key ? new JcaPKCS8Generator(key, null) : object);
    }
    return text.toString();
  }
}
