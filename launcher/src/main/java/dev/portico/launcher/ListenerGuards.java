package dev.portico.launcher;

import io.netty.channel.Channel;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every connection to one of the node's listeners goes through the moment it is accepted,
 * before TLS and before Vert.x sees it (Vert.x has no hook that early; {@link GuardedTransport}
 * provides it): a request head deadline on every listener, and on the edge's a cap on the
 * connections one client address holds open, counted across the edge's ports and instances.
 */
final class ListenerGuards {

  private static final RateLimitedLog REFUSALS = new RateLimitedLog(LoggerFactory.getLogger(ListenerGuards.class));

  private final Set<Integer> watchedPorts;
  private final Set<Integer> cappedPorts;
  private final long headTimeoutMs;
  private final int maxPerAddress;
  /** Open connections per client address; an address leaves the map with its last connection. */
  private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();

  ListenerGuards(PorticoConfig config) {
    this.watchedPorts = Set.of(config.httpPort(), config.httpsPort(), config.adminPort(), config.opsPort());
    this.cappedPorts = Set.of(config.httpPort(), config.httpsPort());
    this.headTimeoutMs = config.limits().requestHeadTimeoutMs();
    this.maxPerAddress = config.limits().maxConnectionsPerAddress();
  }

  /**
   * Guards a just-accepted channel; false when it was refused (and closed), so that nothing
   * more is set up for it.
   */
  boolean admit(Channel channel) {
    if (!(channel.localAddress() instanceof InetSocketAddress local)
        || !(channel.remoteAddress() instanceof InetSocketAddress remote)
        || !watchedPorts.contains(local.getPort())) {
      return true;
    }
    if (cappedPorts.contains(local.getPort()) && !count(channel, remote.getAddress())) {
      REFUSALS.info("Refused connections from {}: it holds {} open connections to the edge already "
          + "(PORTICO_MAX_CONNECTIONS_PER_ADDRESS)", remote.getAddress().getHostAddress(), maxPerAddress);
      channel.close();
      return false;
    }
    channel.pipeline().addFirst("headDeadline", new HeadDeadline(headTimeoutMs));
    return true;
  }

  /** Counts the connection until it closes; false when its address is over the cap. */
  private boolean count(Channel channel, InetAddress address) {
    int count = open.merge(address, 1, Integer::sum);
    channel.closeFuture().addListener(closed -> open.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1));
    return count <= maxPerAddress;
  }
}
