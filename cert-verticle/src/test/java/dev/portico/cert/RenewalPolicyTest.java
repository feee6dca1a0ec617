package dev.portico.cert;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RenewalPolicyTest {

  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final long HOUR = Duration.ofHours(1).toMillis();
  private final RenewalPolicy policy = new RenewalPolicy(30);

  @Test
  void ninetyDayCertificateRenewsThirtyDaysBeforeExpiryMinusJitter() {
    long renewAt = policy.renewAt(0, 90 * DAY, null, 12345);
    assertTrue(renewAt <= 60 * DAY && renewAt > 60 * DAY - 12 * HOUR, Long.toString(renewAt));
  }

  @Test
  void shortLivedCertificateRenewsAtTwoThirdsOfItsLifetime() {
    long renewAt = policy.renewAt(0, 6 * DAY, null, 0);
    assertEquals(4 * DAY, renewAt);
    long jittered = policy.renewAt(0, 6 * DAY, null, 987654321);
    assertTrue(jittered <= 4 * DAY && jittered > 4 * DAY - 6 * DAY / 30, Long.toString(jittered));
  }

  @Test
  void thirtyDaysBeforeExpiryWinsForCertificatesUnderNinetyDays() {
    assertEquals(100 * DAY * 2 / 3, policy.renewAt(0, 100 * DAY, null, 0), "100 days: two thirds come first");
    assertEquals(30 * DAY, policy.renewAt(0, 60 * DAY, null, 0), "60 days: 30 days before expiry come first");
  }

  @Test
  void caSuggestionWinsWhenEarlier() {
    assertEquals(10 * DAY, policy.renewAt(0, 90 * DAY, Instant.ofEpochMilli(10 * DAY), 7));
    assertTrue(policy.renewAt(0, 90 * DAY, Instant.ofEpochMilli(80 * DAY), 7) <= 60 * DAY);
  }

  @Test
  void jitterSpreadsNames() {
    assertTrue(policy.renewAt(0, 90 * DAY, null, "a.example.com".hashCode())
        != policy.renewAt(0, 90 * DAY, null, "b.example.com".hashCode()));
  }
}
