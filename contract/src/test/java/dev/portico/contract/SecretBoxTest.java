package dev.portico.contract;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretBoxTest {

  private static final String KEY = "portico:cert:shop.example.com";

  @Test
  void sealedSecretsOpenOnlyWithTheSameKeyAndContext() {
    SecretBox box = SecretBox.fromSecret("q8xN8b2jQ4b0ZCkqVYtq1y0q3yVZq8xN8b2jQ4b0ZCk=");
    String sealed = box.seal("-----BEGIN PRIVATE KEY-----", KEY);
    assertTrue(sealed.startsWith("aesgcm1:"), sealed);
    assertFalse(sealed.contains("PRIVATE"), sealed);
    assertEquals("-----BEGIN PRIVATE KEY-----", box.open(sealed, KEY));
    assertThrows(IllegalArgumentException.class, () -> box.open(sealed, "portico:cert:other.example.com"));
    assertThrows(IllegalArgumentException.class, () -> SecretBox.fromSecret("another passphrase").open(sealed, KEY));
    assertThrows(IllegalArgumentException.class, () -> SecretBox.fromSecret(null).open(sealed, KEY));
    String altered = sealed.substring(0, sealed.length() - 4) + "AAA=";
    assertThrows(IllegalArgumentException.class, () -> box.open(altered, KEY));
  }

  @Test
  void withoutAKeySecretsAreStoredPlainAndStillReadable() {
    SecretBox box = SecretBox.fromSecret("");
    assertFalse(box.encrypts());
    assertEquals("plain:pem", box.seal("pem", KEY));
    assertEquals("pem", box.open("plain:pem", KEY));
    assertEquals("pem", SecretBox.fromSecret("any").open("plain:pem", KEY));
  }
}
