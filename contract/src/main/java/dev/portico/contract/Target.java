package dev.portico.contract;

import java.util.Locale;

/**
 * A backend address, written {@code host:port} ({@code [v6]:port} for an IPv6 literal): HTTP/1.1
 * in clear; {@code https://host:port}: HTTP over TLS (HTTP/1.1, or HTTP/2 by ALPN when the
 * site's {@code backendTls.http2} asks for it); {@code h2c://host:port}: HTTP/2 in clear (prior
 * knowledge, as gRPC servers speak it).
 */
public record Target(String host, int port, Protocol protocol) {

  /** How the edge speaks to a target. */
  public enum Protocol {
    HTTP(""), HTTPS("https://"), H2C("h2c://");

    private final String prefix;

    Protocol(String prefix) {
      this.prefix = prefix;
    }

    public boolean tls() {
      return this == HTTPS;
    }
  }

  /** A {@code host:port} target (HTTP/1.1 in clear). */
  public Target(String host, int port) {
    this(host, port, Protocol.HTTP);
  }

  /**
   * Parses {@code host:port}, {@code https://host:port} or {@code h2c://host:port}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Target parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("target is empty");
    }
    Protocol protocol = Protocol.HTTP;
    String address = text;
    int scheme = text.indexOf("://");
    if (scheme >= 0) {
      String prefix = text.substring(0, scheme + 3).toLowerCase(Locale.ROOT);
      protocol = prefix.equals(Protocol.HTTPS.prefix) ? Protocol.HTTPS : prefix.equals(Protocol.H2C.prefix)
          ? Protocol.H2C : null;
      if (protocol == null) {
        throw new IllegalArgumentException("target '" + text + "' has a scheme other than https:// or h2c://");
      }
      address = text.substring(scheme + 3);
    }
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException("target '" + text + "' is not host:port");
    }
    String hostPart = address.substring(0, colon);
    String host = HostName.canonical(hostPart);
    if (host == null || hostPart.indexOf(':') >= 0 && !hostPart.startsWith("[")) {
      throw new IllegalArgumentException("target '" + text + "' has an invalid host");
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("target '" + text + "' has an invalid port");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("target '" + text + "' has port " + port + " outside 1-65535");
    }
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Target(host, port, protocol);
  }

  @Override
  public String toString() {
    return protocol.prefix + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
