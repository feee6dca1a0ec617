package dev.portico.launcher;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A test client that speaks for a client it is not, as an L4 balancer does: it writes a PROXY
 * protocol header (made by Netty's encoder, or given raw) before its request, from a chosen
 * loopback address (any of 127.0.0.0/8 can be bound without privileges).
 */
final class ProxiedClient {

  private ProxiedClient() {
  }

  /**
   * A v1 (text) or v2 (binary) header naming {@code client} as the source of a connection to
   * 192.0.2.1:443 (an IPv6 client: to [2001:db8::1]:443).
   */
  static byte[] header(HAProxyProtocolVersion version, String client) {
    boolean ipv6 = client.contains(":");
    HAProxyMessage message = new HAProxyMessage(version, HAProxyCommand.PROXY,
        ipv6 ? HAProxyProxiedProtocol.TCP6 : HAProxyProxiedProtocol.TCP4, client, ipv6 ? "2001:db8::1" : "192.0.2.1",
        40_000, 443);
    EmbeddedChannel channel = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
    channel.writeOutbound(message);
    ByteBuf encoded = channel.readOutbound();
    byte[] bytes = new byte[encoded.readableBytes()];
    encoded.readBytes(bytes);
    encoded.release();
    channel.finishAndReleaseAll();
    return bytes;
  }

  /** A connection from {@code from} to the edge's {@code port} that has sent {@code header} (none: null). */
  static Socket connect(String from, int port, byte[] header) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(15_000);
    if (header != null) {
      socket.getOutputStream().write(header);
      socket.getOutputStream().flush();
    }
    return socket;
  }

  /**
   * Sends {@code request} after {@code header} and returns everything read until the edge closes
   * ("" when it said nothing, also when it closed while the header or request was still being sent).
   */
  static String exchange(String from, int port, byte[] header, String request) throws IOException {
    try (Socket socket = connect(from, port, null)) {
      try {
        socket.getOutputStream().write(header == null ? new byte[0] : header);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
      } catch (SocketException closedWhileSending) {
        // the edge refused what it had read so far: what it answered, if anything, is still readable
      }
      return readToEnd(socket.getInputStream());
    }
  }

  /** A GET of {@code path} on {@code host} that asks the edge to close after the response. */
  static String get(String from, int port, byte[] header, String host, String path) throws IOException {
    return exchange(from, port, header, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
  }

  /** Everything until the peer closes; a reset counts as a close. */
  static String readToEnd(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        all.write(buffer, 0, n);
      }
    } catch (SocketException reset) {
      // the edge closed with data unread: what it sent before still counts
    }
    return all.toString(StandardCharsets.ISO_8859_1);
  }
}
