package dev.portico.edge.upstream.pool;

/**
 * Limits of the backend connections of one event loop.
 *
 * @param maxConnectionsPerTarget connections open at once to one target (busy and idle)
 * @param maxWaitingPerTarget     requests that may wait for one of them; more fail at once
 * @param maxIdlePerTarget        idle connections kept for reuse (nginx's {@code keepalive})
 * @param keepAliveMs             an idle connection unused this long is closed
 * @param maxHeaderBytes          the largest response head accepted from a backend
 */
public record PoolLimits(int maxConnectionsPerTarget, int maxWaitingPerTarget, int maxIdlePerTarget,
    long keepAliveMs, int maxHeaderBytes) {

  /** What the edge uses: as many connections as the old Vert.x pool, kept up to a minute. */
  public static final PoolLimits DEFAULTS = new PoolLimits(256, 4096, 256, 60_000, 16 * 1024);
}
