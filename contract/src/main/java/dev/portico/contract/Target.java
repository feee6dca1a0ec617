package dev.portico.contract;

/** A backend address, written {@code host:port} ({@code [v6]:port} for an IPv6 literal). */
public record Target(String host, int port) {

  /**
   * Parses {@code host:port}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Target parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("target is empty");
    }
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("target '" + text + "' is not host:port");
    }
    String hostPart = text.substring(0, colon);
    String host = HostName.canonical(hostPart);
    if (host == null || hostPart.indexOf(':') >= 0 && !hostPart.startsWith("[")) {
      throw new IllegalArgumentException("target '" + text + "' has an invalid host");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("target '" + text + "' has an invalid port");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("target '" + text + "' has port " + port + " outside 1-65535");
    }
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Target(host, port);
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
