package dev.portico.edge.upstream;

import dev.portico.contract.UpstreamOptions.CircuitBreaker;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BreakerTest {

  private static final long MS = 1_000_000L;
  private final Breaker breaker = new Breaker(new CircuitBreaker(3, 1000));

  @Test
  void opensAfterTheThresholdOfFailuresInARow() {
    breaker.failed(0);
    breaker.failed(0);
    assertTrue(breaker.admits(0));
    breaker.failed(0);
    assertEquals(Breaker.State.OPEN, breaker.state());
    assertFalse(breaker.admits(999 * MS));
  }

  @Test
  void aSuccessBetweenFailuresStartsTheCountAgain() {
    breaker.failed(0);
    breaker.failed(0);
    breaker.succeeded();
    breaker.failed(0);
    breaker.failed(0);
    assertEquals(Breaker.State.CLOSED, breaker.state());
  }

  @Test
  void halfOpensForOneProbeThenClosesOnItsSuccess() {
    open();
    assertTrue(breaker.admits(1000 * MS));
    breaker.chosen(1000 * MS);
    assertEquals(Breaker.State.HALF_OPEN, breaker.state());
    assertFalse(breaker.admits(1001 * MS), "only the probe goes while it is under way");
    breaker.succeeded();
    assertEquals(Breaker.State.CLOSED, breaker.state());
    assertTrue(breaker.admits(1001 * MS));
  }

  @Test
  void aFailedProbeOpensItAgainForAnotherPeriod() {
    open();
    breaker.chosen(1000 * MS);
    breaker.failed(1010 * MS);
    assertEquals(Breaker.State.OPEN, breaker.state());
    assertFalse(breaker.admits(2000 * MS));
    assertTrue(breaker.admits(2010 * MS));
  }

  @Test
  void aProbeThatNeverReportsLetsAnotherThroughAfterThePeriod() {
    open();
    breaker.chosen(1000 * MS);
    assertTrue(breaker.admits(2000 * MS));
  }

  private void open() {
    for (int i = 0; i < 3; i++) {
      breaker.failed(0);
    }
  }
}
