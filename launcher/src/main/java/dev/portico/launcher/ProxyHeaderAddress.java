package dev.portico.launcher;

import io.netty.channel.Channel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;

import java.net.InetSocketAddress;

/**
 * The client and the address it reached, as a PROXY protocol header names them; both null when
 * the header speaks for the sender itself (v2 {@code LOCAL}, a balancer's health check) or for
 * an unknown protocol ({@code PROXY UNKNOWN}): the spec has the connection's own addresses used then.
 */
record ProxyHeaderAddress(InetSocketAddress source, InetSocketAddress destination) {

  /** The addresses of {@code header}, or null when it proxies anything but TCP (UDP, UNIX sockets). */
  static ProxyHeaderAddress of(HAProxyMessage header) {
    HAProxyProxiedProtocol protocol = header.proxiedProtocol();
    if (header.command() == HAProxyCommand.LOCAL || protocol == HAProxyProxiedProtocol.UNKNOWN) {
      return new ProxyHeaderAddress(null, null);
    }
    if (protocol != HAProxyProxiedProtocol.TCP4 && protocol != HAProxyProxiedProtocol.TCP6) {
      return null;
    }
    // the decoder checked both are address literals of the protocol's family
    return new ProxyHeaderAddress(
        new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(header.sourceAddress()), header.sourcePort()),
        new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(header.destinationAddress()),
            header.destinationPort()));
  }

  /**
   * Makes Vert.x's connection report these addresses (as its own PROXY protocol support does):
   * {@code HttpServerRequest.remoteAddress()} and what reads it — address rules, rate limits,
   * failed-password counts, logs, {@code X-Forwarded-For} — see the client.
   */
  void apply(Channel channel) {
    if (source != null) {
      channel.attr(ConnectionBase.REMOTE_ADDRESS_OVERRIDE).set(vertx(source));
      channel.attr(ConnectionBase.LOCAL_ADDRESS_OVERRIDE).set(vertx(destination));
    }
  }

  private static SocketAddress vertx(InetSocketAddress address) {
    return SocketAddress.inetSocketAddress(address.getPort(), address.getAddress().getHostAddress());
  }
}
