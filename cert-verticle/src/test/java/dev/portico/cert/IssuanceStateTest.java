package dev.portico.cert;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IssuanceStateTest {

  @Test
  void backoffDoublesPerFailureUpToTheCap() {
    IssuanceState state = IssuanceState.none();
    long[] waits = new long[6];
    for (int i = 0; i < waits.length; i++) {
      state = state.failed(1_000, "refused", 60_000, 300_000);
      waits[i] = state.nextAttemptAt() - 1_000;
    }
    assertEquals(60_000, waits[0]);
    assertEquals(120_000, waits[1]);
    assertEquals(240_000, waits[2]);
    assertEquals(300_000, waits[3]);
    assertEquals(300_000, waits[5]);
    assertEquals(6, state.attempts());
    assertTrue(state.backingOff(1_000 + 299_999));
    assertFalse(state.backingOff(1_000 + 300_000));
  }

  @Test
  void successClearsFailuresAndJsonRoundTrips() {
    IssuanceState failed = IssuanceState.none().failed(1, "refused", 10, 100);
    IssuanceState issued = IssuanceState.issued(5, 1_000, 600);
    assertEquals(0, issued.attempts());
    assertFalse(issued.backingOff(6));
    assertEquals(failed, IssuanceState.fromJson(failed.toJson()));
    assertEquals(issued, IssuanceState.fromJson(issued.toJson()));
    assertEquals("refused", failed.toJson().getString("error"));
  }
}
