package dev.portico.launcher;

import dev.portico.edge.net.HangUpReader;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every connection to one of the node's listeners goes through the moment it is accepted,
 * before TLS and before Vert.x sees it (Vert.x has no hook that early; {@link GuardedTransport}
 * provides it): {@link HangUpReader} (a reset noticed while the edge is not reading), a request
 * head deadline on every listener, and on the edge's a cap on the
 * connections one client address holds open, counted across the edge's ports and instances, and
 * the PROXY protocol gate ({@link ProxyHeaderGate}). A connection with a header counts against
 * the client the header names, not against the balancer that sent it.
 */
final class ListenerGuards {

  private static final RateLimitedLog REFUSALS = new RateLimitedLog(LoggerFactory.getLogger(ListenerGuards.class));

  private final Set<Integer> watchedPorts;
  private final Set<Integer> cappedPorts;
  private final long headTimeoutMs;
  private final int maxPerAddress;
  private final ProxyProtocolSettings proxyProtocol;
  /** Open connections per client address; an address leaves the map with its last connection. */
  private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();

  ListenerGuards(PorticoConfig config) {
    this.watchedPorts = Set.of(config.httpPort(), config.httpsPort(), config.adminPort(), config.opsPort());
    this.cappedPorts = Set.of(config.httpPort(), config.httpsPort());
    this.headTimeoutMs = config.limits().requestHeadTimeoutMs();
    this.maxPerAddress = config.limits().maxConnectionsPerAddress();
    this.proxyProtocol = config.proxyProtocol();
  }

  /**
   * Guards a just-accepted channel and adds {@code vertx} (Vert.x's set-up) to its pipeline: at
   * once, or for a connection from a PROXY protocol sender once its header is read; not at all
   * when the connection was refused (and closed).
   */
  void admit(Channel channel, ChannelHandler vertx) {
    channel.pipeline().addLast("hangUpReader", new HangUpReader());
    if (!(channel.localAddress() instanceof InetSocketAddress local)
        || !(channel.remoteAddress() instanceof InetSocketAddress remote)
        || !watchedPorts.contains(local.getPort())) {
      channel.pipeline().addLast(vertx);
      return;
    }
    channel.pipeline().addLast("headDeadline", new HeadDeadline(headTimeoutMs));
    if (!cappedPorts.contains(local.getPort())) {
      channel.pipeline().addLast(vertx);
    } else if (proxyProtocol.trusts(remote.getAddress().getAddress())) {
      ProxyHeaderGate.Source source = proxyProtocol.required() ? ProxyHeaderGate.Source.TRUSTED_HEADER_REQUIRED
          : ProxyHeaderGate.Source.TRUSTED_HEADER_OPTIONAL;
      channel.pipeline().addLast("proxyHeaderGate", new ProxyHeaderGate(source, vertx, this, headTimeoutMs));
    } else if (countClient(channel, remote.getAddress())) {
      channel.pipeline().addLast("proxyHeaderGate",
          new ProxyHeaderGate(ProxyHeaderGate.Source.UNTRUSTED, null, this, headTimeoutMs));
      channel.pipeline().addLast(vertx);
    }
  }

  /**
   * Counts an edge connection against its client's address until it closes; false (and the
   * connection closed) when that address holds the most connections already.
   */
  boolean countClient(Channel channel, InetAddress client) {
    if (!count(channel, client)) {
      REFUSALS.info("Refused connections from {}: it holds {} open connections to the edge already "
          + "(PORTICO_MAX_CONNECTIONS_PER_ADDRESS)", client.getHostAddress(), maxPerAddress);
      channel.close();
      return false;
    }
    return true;
  }

  /** Counts the connection until it closes; false when its address is over the cap. */
  private boolean count(Channel channel, InetAddress address) {
    int count = open.merge(address, 1, Integer::sum);
    channel.closeFuture().addListener(closed -> open.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1));
    return count <= maxPerAddress;
  }
}
