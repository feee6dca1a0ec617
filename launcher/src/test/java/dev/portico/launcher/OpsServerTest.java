package dev.portico.launcher;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The ops port of a node without the admin role: what Kubernetes probes. */
class OpsServerTest {

  private Harness harness;

  @BeforeEach
  void start() throws IOException {
    harness = new Harness();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private HttpResponse<String> ops(String method, String path) {
    return harness.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.portico.config().opsPort() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build());
  }

  @Test
  void readyWhileRedisAnswersLiveThroughout() {
    assertEquals(200, ops("GET", "/health/live").statusCode());
    HttpResponse<String> ready = ops("GET", "/health/ready");
    assertEquals(200, ready.statusCode());
    assertEquals("{\"status\":\"up\",\"redis\":\"up\",\"roles\":\"deployed\"}", ready.body());

    harness.stopRedis();
    HttpResponse<String> notReady = ops("GET", "/health/ready");
    assertEquals(503, notReady.statusCode());
    assertEquals("{\"status\":\"down\",\"redis\":\"down\",\"roles\":\"deployed\"}", notReady.body());
    assertEquals(200, ops("GET", "/health/live").statusCode());

    harness.restartRedis();
    Harness.waitFor(() -> ops("GET", "/health/ready").statusCode() == 200, 10_000);
  }

  @Test
  void metricsAreServedWithoutAnAdminRole() {
    harness.putSite("ops.example.net", harness.namedBackend("ops"));
    // the lookup learns of the site through a keyspace notification: routed within moments
    Harness.waitFor(() -> harness.get("ops.example.net", "/").statusCode() == 200, 2_000);
    HttpResponse<String> metrics = ops("GET", "/metrics");
    assertEquals(200, metrics.statusCode());
    org.junit.jupiter.api.Assertions.assertTrue(metrics.body().contains(
        "portico_requests_seconds_count{site=\"ops.example.net\",status=\"2xx\"} 1\n"), metrics.body());
  }

  @Test
  void otherPathsAndMethodsAreRefused() {
    assertEquals(404, ops("GET", "/metrics/nope").statusCode());
    assertEquals(405, ops("POST", "/health/ready").statusCode());
  }
}
