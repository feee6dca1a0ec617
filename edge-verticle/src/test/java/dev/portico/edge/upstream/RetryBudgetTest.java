package dev.portico.edge.upstream;

import dev.portico.contract.UpstreamOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryBudgetTest {

  private static final long SECOND = 1_000_000_000L;

  private static int retriesTaken(RetryBudget budget, long now, int asked) {
    int taken = 0;
    for (int i = 0; i < asked; i++) {
      taken += budget.tryRetry(now) ? 1 : 0;
    }
    return taken;
  }

  @Test
  void retriesAreAShareOfTheRequests() {
    RetryBudget budget = new RetryBudget(new UpstreamOptions.RetryBudget(20, 0), 0);
    for (int i = 0; i < 100; i++) {
      budget.request(0);
    }
    assertTrue(retriesTaken(budget, 0, 100) == 20, "20 % of 100 requests");
  }

  @Test
  void aQuietSiteStillHasItsMinimum() {
    RetryBudget budget = new RetryBudget(new UpstreamOptions.RetryBudget(20, 3), 0);
    budget.request(0);
    assertTrue(retriesTaken(budget, 0, 10) == 3);
  }

  @Test
  void theWindowSlidesRequestsAndRetriesOlderThanTenSecondsNoLongerCount() {
    RetryBudget budget = new RetryBudget(new UpstreamOptions.RetryBudget(50, 0), 0);
    for (int i = 0; i < 10; i++) {
      budget.request(0);
    }
    assertTrue(retriesTaken(budget, 5 * SECOND, 10) == 5);
    assertFalse(budget.tryRetry(9 * SECOND), "still inside the window: spent");
    assertFalse(budget.tryRetry(11 * SECOND), "the requests left the window: no share");
    budget.request(11 * SECOND);
    budget.request(11 * SECOND);
    assertTrue(budget.tryRetry(16 * SECOND), "new requests, and the retries of second 5 left the window too");
  }
}
