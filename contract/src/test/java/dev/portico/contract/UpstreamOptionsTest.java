package dev.portico.contract;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UpstreamOptionsTest {

  private static Site site(String fields) {
    return Site.fromJson("{\"targets\": [\"10.0.0.1:80\", \"10.0.0.2:80\"]" + fields + "}");
  }

  private static String refused(String fields) {
    return assertThrows(InvalidSiteException.class, () -> site(fields)).field();
  }

  @Test
  void aSiteWithoutThemHasEqualWeightsNoCheckNoBreakerTheDefaultBudgetAndNoStickiness() {
    UpstreamOptions options = site("").upstream();
    assertEquals(UpstreamOptions.NONE, options);
    assertEquals(new JsonObject(), withoutBasics(site("").toJson()));
  }

  @Test
  void everyPartReadsAndWritesBackTheSame() {
    Site site = site(", \"weights\": [95, 5], \"healthCheck\": {\"path\": \"/health\", \"intervalMs\": 1000,"
        + " \"timeoutMs\": 300, \"healthyThreshold\": 1, \"unhealthyThreshold\": 2, \"expectStatus\": 204},"
        + " \"circuitBreaker\": {\"failures\": 4, \"openMs\": 2000}, \"retryBudget\": {\"percent\": 10, \"minRetries\": 1},"
        + " \"sticky\": {\"cookie\": \"aff\"}");
    UpstreamOptions options = site.upstream();
    assertEquals(List.of(95, 5), options.weights());
    assertEquals(new UpstreamOptions.HealthCheck("/health", 1000, 300, 1, 2, 204), options.healthCheck());
    assertEquals(new UpstreamOptions.CircuitBreaker(4, 2000), options.circuitBreaker());
    assertEquals(new UpstreamOptions.RetryBudget(10, 1), options.retryBudget());
    assertEquals("aff", options.sticky().cookie());
    assertEquals(site, Site.fromJson(site.toJson().encode()));
  }

  @Test
  void defaultsFillAnEmptyCheckBreakerAndStickiness() {
    UpstreamOptions options = site(", \"healthCheck\": {}, \"circuitBreaker\": {}, \"sticky\": {}").upstream();
    assertEquals(new UpstreamOptions.HealthCheck("/", 5000, 2000, 2, 3, null), options.healthCheck());
    assertEquals(new UpstreamOptions.CircuitBreaker(5, 10_000), options.circuitBreaker());
    assertEquals("portico_sticky", options.sticky().cookie());
  }

  @Test
  void badValuesAreRefusedNamingTheirField() {
    assertEquals("weights", refused(", \"weights\": [1]"));
    assertEquals("weights", refused(", \"weights\": [1, 0]"));
    assertEquals("weights", refused(", \"weights\": [1, 1001]"));
    assertEquals("weights", refused(", \"weights\": \"95,5\""));
    assertEquals("healthCheck.path", refused(", \"healthCheck\": {\"path\": \"health\"}"));
    assertEquals("healthCheck.path", refused(", \"healthCheck\": {\"path\": \"/a b\"}"));
    assertEquals("healthCheck.path", refused(", \"healthCheck\": {\"path\": \"/a\\r\\nX: y\"}"));
    assertEquals("healthCheck.intervalMs", refused(", \"healthCheck\": {\"intervalMs\": 10}"));
    assertEquals("healthCheck.timeoutMs", refused(", \"healthCheck\": {\"intervalMs\": 1000, \"timeoutMs\": 2000}"));
    assertEquals("healthCheck.expectStatus", refused(", \"healthCheck\": {\"expectStatus\": 99}"));
    assertEquals("circuitBreaker.failures", refused(", \"circuitBreaker\": {\"failures\": 0}"));
    assertEquals("retryBudget.percent", refused(", \"retryBudget\": {\"percent\": 101}"));
    assertEquals("sticky.cookie", refused(", \"sticky\": {\"cookie\": \"a=b\"}"));
    assertEquals("sticky", refused(", \"sticky\": true"));
  }

  @Test
  void aRouteWithTargetsOfItsOwnTakesAllButTheWeights() {
    Site site = site(", \"weights\": [3, 1], \"sticky\": {}, \"routes\": [{\"prefix\": \"/api/\","
        + " \"targets\": [\"10.0.0.9:80\"]}, {\"prefix\": \"/static/\"}]");
    assertEquals(List.of(), site.routes().get(0).site().upstream().weights());
    assertEquals("portico_sticky", site.routes().get(0).site().upstream().sticky().cookie());
    assertEquals(List.of(3, 1), site.routes().get(1).site().upstream().weights());
    assertNull(site.routes().get(0).site().upstream().healthCheck());
  }

  private static JsonObject withoutBasics(JsonObject json) {
    for (String field : List.of("targets", "connectTimeoutMs", "readTimeoutMs", "tls", "redirectHttps")) {
      json.remove(field);
    }
    return json;
  }
}
