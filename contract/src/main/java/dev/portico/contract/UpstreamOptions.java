package dev.portico.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How a site treats its targets beyond choosing one, each part optional in the site's JSON:
 *
 * <pre>{"weights": [95, 5],                      (one per target, 1-1000; default all equal)
 *  "healthCheck": {"path": "/health", "intervalMs": 5000, "timeoutMs": 2000,
 *                  "healthyThreshold": 2, "unhealthyThreshold": 3, "expectStatus": 200},
 *  "circuitBreaker": {"failures": 5, "openMs": 10000},
 *  "retryBudget": {"percent": 20, "minRetries": 10},
 *  "sticky": {"cookie": "portico_sticky"}}</pre>
 *
 * A path route with targets of its own takes every part but the weights (which belong to the
 * site's target list); the health check probes the site's own targets.
 */
public record UpstreamOptions(List<Integer> weights, HealthCheck healthCheck, CircuitBreaker circuitBreaker,
    RetryBudget retryBudget, Sticky sticky) {

  /** The site fields that hold these options. */
  public static final Set<String> FIELDS = Set.of("weights", "healthCheck", "circuitBreaker", "retryBudget", "sticky");
  public static final int MAX_WEIGHT = 1000;
  /** Retries are always budgeted (when a site retries at all): 20 % of requests, at least 10 per window. */
  public static final RetryBudget DEFAULT_BUDGET = new RetryBudget(20, 10);
  public static final UpstreamOptions NONE = new UpstreamOptions(List.of(), null, null, DEFAULT_BUDGET, null);

  public UpstreamOptions {
    weights = List.copyOf(weights);
  }

  /**
   * Active health check: every {@code intervalMs} a GET of {@code path} to each target, answered
   * within {@code timeoutMs} with {@code expectStatus} (absent: any 2xx or 3xx); a target is down
   * after {@code unhealthyThreshold} failed checks in a row and up again after {@code healthyThreshold} passed.
   */
  public record HealthCheck(String path, int intervalMs, int timeoutMs, int healthyThreshold, int unhealthyThreshold,
      Integer expectStatus) {

    public boolean healthy(int status) {
      return expectStatus == null ? status >= 200 && status < 400 : status == expectStatus;
    }
  }

  /** Opens after {@code failures} failed requests in a row to a target; after {@code openMs} one request probes it. */
  public record CircuitBreaker(int failures, int openMs) {
  }

  /** Retries at most {@code percent} of the requests of the last ten seconds, but always {@code minRetries}. */
  public record RetryBudget(int percent, int minRetries) {
  }

  /** Sticky sessions: the cookie that names a client's target (an opaque, signed id). */
  public record Sticky(String cookie) {
  }

  /** These options for a route with targets of its own: the weights do not fit its list. */
  public UpstreamOptions withoutWeights() {
    return weights.isEmpty() ? this : new UpstreamOptions(List.of(), healthCheck, circuitBreaker, retryBudget, sticky);
  }

  static UpstreamOptions fromJson(JsonObject json, int targets) {
    return new UpstreamOptions(weights(json, targets), healthCheck(json), circuitBreaker(json), retryBudget(json),
        sticky(json));
  }

  void toJson(JsonObject json) {
    if (!weights.isEmpty()) {
      json.put("weights", new JsonArray(new ArrayList<>(weights)));
    }
    if (healthCheck != null) {
      JsonObject check = new JsonObject().put("path", healthCheck.path).put("intervalMs", healthCheck.intervalMs)
          .put("timeoutMs", healthCheck.timeoutMs).put("healthyThreshold", healthCheck.healthyThreshold)
          .put("unhealthyThreshold", healthCheck.unhealthyThreshold);
      if (healthCheck.expectStatus != null) {
        check.put("expectStatus", healthCheck.expectStatus);
      }
      json.put("healthCheck", check);
    }
    if (circuitBreaker != null) {
      json.put("circuitBreaker", new JsonObject().put("failures", circuitBreaker.failures)
          .put("openMs", circuitBreaker.openMs));
    }
    if (!retryBudget.equals(DEFAULT_BUDGET)) {
      json.put("retryBudget", new JsonObject().put("percent", retryBudget.percent)
          .put("minRetries", retryBudget.minRetries));
    }
    if (sticky != null) {
      json.put("sticky", new JsonObject().put("cookie", sticky.cookie));
    }
  }

  private static List<Integer> weights(JsonObject json, int targets) {
    Object value = json.getValue("weights");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array) || array.size() != targets) {
      throw new InvalidSiteException("weights", "weights is an array with one weight per target (" + targets + ")");
    }
    List<Integer> weights = new ArrayList<>(targets);
    for (Object weight : array) {
      if (!(weight instanceof Integer || weight instanceof Long) || ((Number) weight).longValue() < 1
          || ((Number) weight).longValue() > MAX_WEIGHT) {
        throw new InvalidSiteException("weights", "each weight is an integer from 1 to " + MAX_WEIGHT);
      }
      weights.add(((Number) weight).intValue());
    }
    return weights;
  }

  private static HealthCheck healthCheck(JsonObject json) {
    JsonObject check = object(json, "healthCheck");
    if (check == null) {
      return null;
    }
    Object path = check.getValue("path", "/");
    if (!(path instanceof String text) || !text.startsWith("/") || text.length() > SiteLimits.MAX_ROUTE_PATH_CHARS
        || !text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new InvalidSiteException("healthCheck.path", "healthCheck.path is a path starting with / of at most "
          + SiteLimits.MAX_ROUTE_PATH_CHARS + " printable characters without spaces");
    }
    int interval = integer(check, "healthCheck", "intervalMs", 5000, 500, 3_600_000);
    int timeout = integer(check, "healthCheck", "timeoutMs", Math.min(2000, interval), 100, interval);
    Integer expect = check.getValue("expectStatus") == null ? null
        : integer(check, "healthCheck", "expectStatus", 200, 100, 599);
    return new HealthCheck(text, interval, timeout, integer(check, "healthCheck", "healthyThreshold", 2, 1, 100),
        integer(check, "healthCheck", "unhealthyThreshold", 3, 1, 100), expect);
  }

  private static CircuitBreaker circuitBreaker(JsonObject json) {
    JsonObject breaker = object(json, "circuitBreaker");
    return breaker == null ? null : new CircuitBreaker(integer(breaker, "circuitBreaker", "failures", 5, 1, 1000),
        integer(breaker, "circuitBreaker", "openMs", 10_000, 100, 3_600_000));
  }

  private static RetryBudget retryBudget(JsonObject json) {
    JsonObject budget = object(json, "retryBudget");
    return budget == null ? DEFAULT_BUDGET : new RetryBudget(integer(budget, "retryBudget", "percent", 20, 0, 100),
        integer(budget, "retryBudget", "minRetries", 10, 0, 10_000));
  }

  private static Sticky sticky(JsonObject json) {
    JsonObject sticky = object(json, "sticky");
    if (sticky == null) {
      return null;
    }
    Object cookie = sticky.getValue("cookie", "portico_sticky");
    if (!(cookie instanceof String name) || name.isEmpty() || name.length() > 64 || !FieldSyntax.isToken(name)) {
      throw new InvalidSiteException("sticky.cookie", "sticky.cookie is a cookie name (an HTTP token) of at most 64"
          + " characters");
    }
    return new Sticky(name);
  }

  private static JsonObject object(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof JsonObject)) {
      throw new InvalidSiteException(field, field + " must be an object");
    }
    return (JsonObject) value;
  }

  private static int integer(JsonObject json, String parent, String field, int defaultValue, int min, int max) {
    Object value = json.getValue(field);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
        || ((Number) value).longValue() > max) {
      throw new InvalidSiteException(parent + "." + field, parent + "." + field + " must be an integer from " + min
          + " to " + max);
    }
    return ((Number) value).intValue();
  }
}
