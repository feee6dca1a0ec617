package dev.portico.launcher;

import dev.portico.contract.Cidr;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Who may put a PROXY protocol header (v1 or v2) in front of its connections to the edge's HTTP
 * and HTTPS listeners: an L4 load balancer that hides the client's address otherwise.
 *
 * @param from     the source addresses and ranges ({@code PORTICO_PROXY_PROTOCOL_FROM}); empty: none
 * @param required whether a connection from one of them must start with a header
 *                 ({@code PORTICO_PROXY_PROTOCOL_REQUIRED}, on by default) or may come without one
 *                 (the balancer's own health checks), served then under the balancer's address
 */
public record ProxyProtocolSettings(List<Cidr> from, boolean required) {

  public ProxyProtocolSettings {
    from = List.copyOf(from);
  }

  /** Whether {@code address} (normalised or not) may send a header. */
  boolean trusts(byte[] address) {
    for (Cidr range : from) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  static ProxyProtocolSettings fromEnvironment(Function<String, String> env, boolean required) {
    String list = env.apply("PORTICO_PROXY_PROTOCOL_FROM");
    List<Cidr> from = list == null ? List.of() : Arrays.stream(list.split(",")).map(String::trim)
        .filter(text -> !text.isEmpty()).map(ProxyProtocolSettings::range).toList();
    return new ProxyProtocolSettings(from, required);
  }

  private static Cidr range(String text) {
    try {
      return Cidr.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("PORTICO_PROXY_PROTOCOL_FROM: " + e.getMessage());
    }
  }
}
