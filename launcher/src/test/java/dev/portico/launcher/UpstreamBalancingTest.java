package dev.portico.launcher;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Weights, sticky sessions and the circuit breaker through a real node (one edge verticle) and real backends. */
class UpstreamBalancingTest {

  private Harness harness;

  @BeforeEach
  void start() throws IOException {
    harness = new Harness();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private HttpResponse<String> get(String host, String cookie) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.httpPort() + "/"))
        .header("Host", host).timeout(Duration.ofSeconds(10));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return harness.send(request.build());
  }

  @Test
  void aFivePercentCanaryGetsItsShareOfTenThousandRequests() throws Exception {
    SwitchableBackend stable = new SwitchableBackend(harness, "stable");
    SwitchableBackend canary = new SwitchableBackend(harness, "canary");
    harness.putSite("weights.upstream.test", "{\"targets\": [\"" + stable.target() + "\", \"" + canary.target()
        + "\"], \"weights\": [95, 5]}");
    Harness.waitFor(() -> get("weights.upstream.test", null).statusCode() == 200, 10_000);
    stable.requests.set(0);
    canary.requests.set(0);
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> failures = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        failures.add(clients.submit(() -> {
          int failed = 0;
          for (int i = 0; i < 2500; i++) {
            failed += get("weights.upstream.test", null).statusCode() == 200 ? 0 : 1;
          }
          return failed;
        }));
      }
      for (Future<Integer> failed : failures) {
        assertEquals(0, failed.get());
      }
    } finally {
      clients.shutdownNow();
    }
    assertEquals(10_000, stable.requests.get() + canary.requests.get());
    int share = canary.requests.get();
    assertTrue(share >= 450 && share <= 550, "the canary took " + share + " of 10,000 (5 % is 500)");
  }

  @Test
  void aStickyCookieKeepsAClientOnItsTargetAndAForgedOneIsIgnored() {
    SwitchableBackend a = new SwitchableBackend(harness, "a");
    SwitchableBackend b = new SwitchableBackend(harness, "b");
    harness.putSite("sticky.upstream.test", "{\"targets\": [\"" + a.target() + "\", \"" + b.target()
        + "\"], \"sticky\": {\"cookie\": \"aff\"}}");
    Harness.waitFor(() -> get("sticky.upstream.test", null).statusCode() == 200, 10_000);

    HttpResponse<String> first = get("sticky.upstream.test", null);
    String setCookie = first.headers().firstValue("Set-Cookie").orElse(null);
    assertNotNull(setCookie, "a client without the cookie is given one");
    assertTrue(setCookie.startsWith("aff=") && setCookie.contains("HttpOnly") && setCookie.contains("Path=/"), setCookie);
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    assertFalse(cookie.contains("127.0.0.1") || cookie.contains(String.valueOf(a.port))
        || cookie.contains(String.valueOf(b.port)), "no backend address in the cookie: " + cookie);
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> again = get("sticky.upstream.test", "other=1; " + cookie);
      assertEquals(first.body(), again.body(), "the same target with the cookie");
      assertTrue(again.headers().firstValue("Set-Cookie").isEmpty(), "a valid cookie is not set again");
    }

    String forged = "aff=" + "A".repeat(22);
    Set<String> targets = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> response = get("sticky.upstream.test", forged);
      assertEquals(200, response.statusCode());
      targets.add(response.body());
      String fresh = response.headers().firstValue("Set-Cookie").orElse("");
      assertTrue(fresh.startsWith("aff=") && !fresh.startsWith(forged), "a forged cookie is replaced: " + fresh);
    }
    assertEquals(Set.of("a", "b"), targets, "a forged cookie is ignored: the requests are balanced as without one");

    String raw = "aff=" + a.target();
    assertEquals(200, get("sticky.upstream.test", raw).statusCode(), "an address in the cookie picks nothing");
  }

  @Test
  void theCircuitOpensOnFailuresInARowAndClosesAfterAProbeSucceeds() {
    SwitchableBackend failing = new SwitchableBackend(harness, "failing");
    SwitchableBackend fine = new SwitchableBackend(harness, "fine");
    harness.putSite("breaker.upstream.test", "{\"targets\": [\"" + failing.target() + "\", \"" + fine.target()
        + "\"], \"circuitBreaker\": {\"failures\": 3, \"openMs\": 1500}}");
    Harness.waitFor(() -> get("breaker.upstream.test", null).statusCode() == 200, 10_000);
    failing.status = 503;

    Map<Integer, Integer> statuses = new HashMap<>();
    Harness.waitFor(() -> {  // round robin: every other request meets the failing target, until the third in a row
      statuses.merge(get("breaker.upstream.test", null).statusCode(), 1, Integer::sum);
      return statuses.getOrDefault(503, 0) >= 3;
    }, 10_000);
    int failedBefore = failing.requests.get();
    int served = 0;
    for (int i = 0; i < 10; i++) {
      served += get("breaker.upstream.test", null).statusCode() == 200 ? 1 : 0;
    }
    // open: the failing target is passed over (a probe may go if 1.5 s passed on a slow machine, and fail)
    assertTrue(failing.requests.get() - failedBefore <= 1, (failing.requests.get() - failedBefore) + " reached it");
    assertTrue(served >= 9);

    failing.status = 200;
    int before = failing.requests.get();
    Harness.waitFor(() -> {  // after openMs one request probes, succeeds, and the circuit closes
      get("breaker.upstream.test", null);
      return failing.requests.get() >= before + 5;
    }, 20_000);
    Map<String, Integer> after = new HashMap<>();
    for (int i = 0; i < 10; i++) {
      after.merge(get("breaker.upstream.test", null).body(), 1, Integer::sum);
    }
    assertEquals(Map.of("failing", 5, "fine", 5), after, "closed again: round robin as before");
  }

  @Test
  void aSpentRetryBudgetAnswers502InsteadOfRetrying() {
    SwitchableBackend good = new SwitchableBackend(harness, "good");
    String targets = "[\"127.0.0.1:" + Harness.freePort() + "\", \"" + good.target() + "\"]";  // the first refuses
    harness.putSite("budgeted.upstream.test", "{\"targets\": " + targets + ", \"retries\": 1}");
    harness.putSite("spent.upstream.test", "{\"targets\": " + targets + ", \"retries\": 1,"
        + " \"retryBudget\": {\"percent\": 0, \"minRetries\": 0}}");
    // each site's first request goes to its first target, which refuses the connection
    assertEquals(200, get("budgeted.upstream.test", null).statusCode(), "retried on the other target");
    assertEquals(502, get("spent.upstream.test", null).statusCode(), "no retry left in the budget");
  }
}
