package dev.portico.launcher;

import dev.portico.contract.Pem;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/** A certificate authority made by a test (EC P-256), issuing server and client certificates with chosen names and dates. */
final class TestCa {

  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

  /** A certificate and its key, as PEM (the key PKCS#8). */
  record Issued(String certPem, String keyPem) {
  }

  private final X500Name name;
  private final KeyPair keys;
  private final X509Certificate certificate;

  private TestCa(String commonName) {
    this.name = new X500Name("CN=" + commonName);
    this.keys = keyPair();
    Instant now = Instant.now();
    this.certificate = sign(name, keys.getPublic(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)), true,
        null);
  }

  static TestCa create(String commonName) {
    return new TestCa(commonName);
  }

  /** The CA's own certificate, as PEM: what a trust bundle holds. */
  String pem() {
    return Pem.encode(certificate);
  }

  /** A certificate for {@code dnsName} valid from an hour ago for 30 days. */
  Issued issue(String dnsName) {
    Instant now = Instant.now();
    return issue(dnsName, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)));
  }

  Issued issue(String dnsName, Instant notBefore, Instant notAfter) {
    KeyPair pair = keyPair();
    X509Certificate issued = sign(new X500Name("CN=" + dnsName), pair.getPublic(), notBefore, notAfter, false, dnsName);
    return new Issued(Pem.encode(issued), Pem.encode(pair.getPrivate()));
  }

  private X509Certificate sign(X500Name subject, PublicKey key, Instant notBefore, Instant notAfter, boolean ca,
      String dnsName) {
    try {
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(SERIALS.incrementAndGet()),
          Date.from(notBefore), Date.from(notAfter), subject, key);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (ca) {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
      }
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
