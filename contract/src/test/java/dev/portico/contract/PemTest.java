package dev.portico.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PEM in and out: what Portico writes reads back, the key forms openssl writes are read, garbage is refused. */
class PemTest {

  @Test
  void writtenKeysReadBackAsJdkKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    String privatePem = Pem.encode(pair.getPrivate());
    assertTrue(privatePem.startsWith("-----BEGIN PRIVATE KEY-----"), privatePem);
    PrivateKey read = Pem.privateKey(privatePem);
    assertEquals("EC", read.getAlgorithm());
    java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA");
    signer.initSign(read);
    signer.update(new byte[] {1, 2, 3});
    java.security.Signature verifier = java.security.Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(pair.getPublic());
    verifier.update(new byte[] {1, 2, 3});
    assertTrue(verifier.verify(signer.sign()), "the key read is the key written");
    assertArrayEquals(pair.getPublic().getEncoded(), Pem.publicKey(Pem.encode(pair.getPublic())).getEncoded());
  }

  @Test
  void keysInEveryFormOpensslWritesAreRead(@TempDir Path dir) throws Exception {
    // SEC1 ("EC PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY") and PKCS#8, as openssl writes them
    for (List<String> command : List.of(
        List.of("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "key.pem"),
        List.of("openssl", "genrsa", "-traditional", "-out", "key.pem", "2048"),
        List.of("openssl", "genpkey", "-algorithm", "ed25519", "-out", "key.pem"))) {
      Process openssl = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      assertEquals(0, openssl.waitFor(), new String(openssl.getInputStream().readAllBytes()));
      String pem = Files.readString(dir.resolve("key.pem"));
      PrivateKey key = Pem.privateKey(pem);
      assertFalse(key.getAlgorithm().isEmpty(), command.toString());
      assertEquals(key, Pem.privateKey(Pem.encode(key)), command.toString());
    }
  }

  @Test
  void certificatesSkipOtherBlocksAndGarbageIsRefused() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    String publicOnly = Pem.encode(generator.generateKeyPair().getPublic());
    assertEquals(List.of(), Pem.certificates(publicOnly));
    assertThrows(IllegalArgumentException.class, () -> Pem.leaf(publicOnly));
    assertThrows(IllegalArgumentException.class, () -> Pem.privateKey(publicOnly));
    assertThrows(IllegalArgumentException.class, () -> Pem.privateKey(""));
    assertThrows(IllegalArgumentException.class,
        () -> Pem.certificates("-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n"));
    IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
        () -> Pem.privateKey("-----BEGIN PRIVATE KEY-----\nMIIBsecretsecret\n-----END PRIVATE KEY-----\n"));
    assertFalse(wrong.getMessage().contains("secret"), "never quotes the key: " + wrong.getMessage());
  }
}
