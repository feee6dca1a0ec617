package dev.portico.edge.pipeline;

import dev.portico.contract.Cidr;
import dev.portico.contract.IpAddresses;
import io.vertx.core.MultiMap;

import java.util.List;

/**
 * Who the client is, for address rules, failed-password counts and rate limits: the connection's
 * peer, or — when the peer is one of the site's trusted proxies — the right-most address in
 * {@code X-Forwarded-For} that is not a trusted proxy itself ({@code Forwarded} and
 * {@code X-Real-IP} are not read). Addresses are normalised ({@link IpAddresses}).
 */
final class ClientAddress {

  /** Most {@code X-Forwarded-For} hops walked from the right; a longer chain of trusted proxies is no known client. */
  static final int MAX_FORWARDED_HOPS = 20;

  private ClientAddress() {
  }

  /**
   * The client's address as normalised bytes, or {@code null} when it is unknown: not an IP
   * connection, or — behind a trusted proxy — an {@code X-Forwarded-For} hop that is not an
   * address (with or without a port), or more than {@link #MAX_FORWARDED_HOPS} trusted hops.
   */
  static byte[] of(String peer, MultiMap headers, List<Cidr> trustedProxies) {
    byte[] address = peer == null ? null : IpAddresses.parse(peer);
    if (address == null || trustedProxies.isEmpty() || !anyContains(trustedProxies, address)) {
      return address;
    }
    List<String> values = headers.getAll("X-Forwarded-For");
    if (values.isEmpty()) {
      return address;  // the trusted proxy's own request
    }
    String forwarded = String.join(",", values);
    int end = forwarded.length();
    for (int hops = 0; hops < MAX_FORWARDED_HOPS && end >= 0; hops++) {
      int comma = forwarded.lastIndexOf(',', end - 1);
      byte[] hop = IpAddresses.parseWithOptionalPort(forwarded.substring(comma + 1, end).trim());
      if (hop == null) {
        return null;  // a malformed entry: whoever wrote it is not known
      }
      if (!anyContains(trustedProxies, hop)) {
        return hop;
      }
      address = hop;
      end = comma;
    }
    return end < 0 ? address : null;
  }

  /** Whether one of {@code ranges} holds {@code address}. */
  static boolean anyContains(List<Cidr> ranges, byte[] address) {
    for (Cidr range : ranges) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
