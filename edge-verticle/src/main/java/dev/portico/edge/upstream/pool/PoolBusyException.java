package dev.portico.edge.upstream.pool;

/** Every connection to a target is busy and too many requests wait for one already. */
public final class PoolBusyException extends Exception {

  public PoolBusyException(String target) {
    super("too many requests wait for a connection to " + target, null, false, false);
  }
}
