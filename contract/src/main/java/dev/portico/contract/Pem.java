package dev.portico.contract;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;

/**
 * PEM text of certificates and keys, read and written by Bouncy Castle for every module (the
 * admin API's uploads, the edge's certificates, the cert role's issued ones, the JWT keys).
 * Keys come back as JDK key objects, so that the JDK's signatures and both TLS engines take them.
 */
public final class Pem {

  private static final JcaX509CertificateConverter CERTIFICATES = new JcaX509CertificateConverter();
  /** Bouncy Castle reads every PEM key form (SunEC cannot read SEC1 "EC PRIVATE KEY" keys); not registered globally. */
  private static final JcaPEMKeyConverter KEYS = new JcaPEMKeyConverter().setProvider(new BouncyCastleProvider());

  private Pem() {
  }

  /**
   * The certificates of a PEM text, in order (a chain: leaf first); blocks of other types are skipped.
   *
   * @throws IllegalArgumentException when a block does not parse (the list may be empty otherwise)
   */
  public static List<X509Certificate> certificates(String pem) {
    List<X509Certificate> certificates = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
        if (item instanceof X509CertificateHolder holder) {
          certificates.add(CERTIFICATES.getCertificate(holder));
        }
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("certificate does not parse: " + e.getMessage());
    }
    return certificates;
  }

  /** The first certificate of a PEM text. @throws IllegalArgumentException when there is none */
  public static X509Certificate leaf(String pem) {
    List<X509Certificate> certificates = certificates(pem);
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("no certificate in the PEM text");
    }
    return certificates.get(0);
  }

  /**
   * An unencrypted private key: PKCS#8 ("PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY") or SEC1
   * ("EC PRIVATE KEY"); EC, RSA or Ed25519.
   *
   * @throws IllegalArgumentException saying what is wrong (never quoting the key)
   */
  public static PrivateKey privateKey(String pem) {
    Object item = firstObject(pem, "private key");
    PrivateKeyInfo info = item instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo()
        : item instanceof PrivateKeyInfo plain ? plain : null;
    if (info == null) {
      throw new IllegalArgumentException("private key is not an unencrypted PEM key");
    }
    try {
      PrivateKey key = KEYS.getPrivateKey(info);
      return KeyFactory.getInstance(jdkAlgorithm(key)).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("private key of this type is not supported");
    }
  }

  /** A public key ("PUBLIC KEY", SubjectPublicKeyInfo). @throws IllegalArgumentException when it is not one */
  public static PublicKey publicKey(String pem) {
    if (!(firstObject(pem, "public key") instanceof SubjectPublicKeyInfo info)) {
      throw new IllegalArgumentException("not a PEM public key");
    }
    try {
      PublicKey key = KEYS.getPublicKey(info);
      return KeyFactory.getInstance(jdkAlgorithm(key)).generatePublic(new X509EncodedKeySpec(key.getEncoded()));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("public key of this type is not supported");
    }
  }

  /** PEM text of certificates and keys, in order; private keys as PKCS#8 (SunEC's keys written as SEC1 lose their curve). */
  public static String encode(Object... objects) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      for (Object object : objects) {
        writer.writeObject(object instanceof PrivateKey key ? new JcaPKCS8Generator(key, null) : object);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  private static Object firstObject(String pem, String what) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object item = parser.readObject();
      if (item == null) {
        throw new IllegalArgumentException("no " + what + " in the PEM text");
      }
      return item;
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException wrong) {
        throw wrong;
      }
      throw new IllegalArgumentException(what + " does not parse");
    }
  }

  /** Bouncy Castle names EC keys "ECDSA"; the JDK "EC". */
  private static String jdkAlgorithm(Key key) {
    return key.getAlgorithm().equals("ECDSA") ? "EC" : key.getAlgorithm();
  }
}
