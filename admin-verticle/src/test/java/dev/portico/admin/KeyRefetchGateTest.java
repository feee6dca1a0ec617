package dev.portico.admin;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyRefetchGateTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void theFirstUnknownKeyRefetchesThenOnlyOncePerInterval() {
    KeyRefetchGate gate = new KeyRefetchGate(60);
    long start = 1_000 * SECOND;
    assertTrue(gate.tryAcquire(start), "the first unknown key id after start refetches");
    for (int forged = 0; forged < 10_000; forged++) {
      assertFalse(gate.tryAcquire(start + forged * 5_000_000L), "forged key ids within the interval fetch nothing");
    }
    assertTrue(gate.tryAcquire(start + 60 * SECOND), "a new interval allows one more");
    assertFalse(gate.tryAcquire(start + 61 * SECOND));
  }
}
