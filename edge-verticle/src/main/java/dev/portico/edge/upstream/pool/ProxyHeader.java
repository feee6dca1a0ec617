package dev.portico.edge.upstream.pool;

import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;

/**
 * The PROXY protocol header a site's backend connections open with: the client's address and
 * port, and the address and port it reached (the edge's, or what a balancer's header named).
 * Equal headers may share pooled connections; others never do ({@link ConnectionPools}).
 */
public record ProxyHeader(HAProxyProtocolVersion version, String source, int sourcePort, String destination,
    int destinationPort) {

  /**
   * The header for a client at {@code source}:{@code sourcePort} that reached {@code destination}:{@code destinationPort};
   * null when either is no IP address literal. The protocol needs one family for both: an IPv4
   * address beside an IPv6 one is written IPv4-mapped.
   */
  public static ProxyHeader of(HAProxyProtocolVersion version, String source, int sourcePort, String destination,
      int destinationPort) {
    if (source == null || destination == null) {
      return null;
    }
    boolean source4 = NetUtil.isValidIpV4Address(source);
    boolean destination4 = NetUtil.isValidIpV4Address(destination);
    if (!source4 && !NetUtil.isValidIpV6Address(source) || !destination4 && !NetUtil.isValidIpV6Address(destination)) {
      return null;
    }
    if (source4 != destination4) {
      source = source4 ? "::ffff:" + source : source;
      destination = destination4 ? "::ffff:" + destination : destination;
    }
    return new ProxyHeader(version, source, sourcePort, destination, destinationPort);
  }

  /** The message Netty's {@code HAProxyMessageEncoder} writes. */
  HAProxyMessage message() {
    boolean ipv4 = NetUtil.isValidIpV4Address(source);
    return new HAProxyMessage(version, HAProxyCommand.PROXY,
        ipv4 ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6, source, destination, sourcePort,
        destinationPort);
  }
}
