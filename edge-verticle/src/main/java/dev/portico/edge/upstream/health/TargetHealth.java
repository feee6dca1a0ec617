package dev.portico.edge.upstream.health;

import dev.portico.contract.Target;
import dev.portico.contract.UpstreamOptions.HealthCheck;
import io.vertx.core.json.JsonObject;

/**
 * What the active health check knows of one target of one site. Written by the node's one
 * checker (one thread), read by every event loop's selectors: {@link #up} is the one volatile
 * field the request path reads. A target starts up (passive checks guard it until its first
 * checks are in) and changes state only after its site's threshold of checks in a row.
 */
public final class TargetHealth {

  /** For a target no check watches (a site without one, a path route's own targets): always up. */
  public static final TargetHealth UNCHECKED = new TargetHealth(null);

  private final Target target;
  private volatile boolean up = true;
  private int passedInRow;
  private int failedInRow;
  private volatile long checkedAtMs;
  private volatile String lastResult = "not checked yet";

  TargetHealth(Target target) {
    this.target = target;
  }

  public boolean up() {
    return up;
  }

  Target target() {
    return target;
  }

  /** One check's outcome ({@code result}: the status, or why none came), on the checker's thread. */
  void record(boolean passed, String result, HealthCheck check) {
    checkedAtMs = System.currentTimeMillis();
    lastResult = result;
    if (passed) {
      failedInRow = 0;
      if (++passedInRow >= check.healthyThreshold()) {
        up = true;
      }
    } else {
      passedInRow = 0;
      if (++failedInRow >= check.unhealthyThreshold()) {
        up = false;
      }
    }
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("target", target.toString()).put("up", up).put("lastResult", lastResult);
    long at = checkedAtMs;
    return at == 0 ? json : json.put("checkedAt", at);
  }
}
