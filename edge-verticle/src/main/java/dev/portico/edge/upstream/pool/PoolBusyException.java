package dev.portico.edge.upstream.pool;

/**
 * No connection to a target could be had because the target is busy or the edge is stopping,
 * not because the target failed: the request path answers 503 and does not rest the target.
 */
public final class PoolBusyException extends Exception {

  public PoolBusyException(String target, String why) {
    super(target + ": " + why, null, false, false);
  }
}
