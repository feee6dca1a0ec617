package dev.portico.contract;

import org.junit.jupiter.api.Test;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHashTest {

  @Test
  void ownHashesMatchTheirPasswordOnly() {
    String stored = PasswordHash.hash("the password");
    assertTrue(PasswordHash.isPorticos(stored));
    assertTrue(PasswordHash.matches("the password", stored));
    assertFalse(PasswordHash.matches("another password", stored));
  }

  /** Each of these is a correct PBKDF2 hash of the password under its own parameters: none is Portico's. */
  @Test
  void correctHashesWithOtherParametersNeverMatch() throws Exception {
    for (String foreign : new String[] {
        hash("pw", 1000, 16, 32, "1000"),                  // a cost Portico did not choose
        hash("pw", 600_000, 16, 32, "0600000"),            // Portico's cost, spelled otherwise
        hash("pw", 600_000, 64, 32, "600000"),             // a longer salt
        hash("pw", 600_000, 16, 64, "600000"),             // a longer hash
        hash("pw", 600_000, 16, 32, "600000") + "$"}) {    // a fifth part
      assertFalse(PasswordHash.isPorticos(foreign), foreign);
      assertFalse(PasswordHash.matches("pw", foreign), foreign);
    }
    assertTrue(PasswordHash.matches("pw", hash("pw", 600_000, 16, 32, "600000")), "the control case");
    for (String junk : new String[] {"pbkdf2-sha256$600000$not base64!$AAAA", "", "(hidden)", null}) {
      assertFalse(PasswordHash.matches("pw", junk), junk);
    }
  }

  private static String hash(String password, int iterations, int saltBytes, int hashBytes, String iterationsText)
      throws Exception {
    byte[] salt = new byte[saltBytes];
    byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
        .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, hashBytes * 8)).getEncoded();
    Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
    return "pbkdf2-sha256$" + iterationsText + "$" + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
  }
}
