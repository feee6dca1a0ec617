package dev.portico.contract;

import io.netty.util.NetUtil;

/**
 * An IPv4 or IPv6 address range, {@code 10.0.0.0/8} or {@code 2001:db8::/32} (a bare address: /32 or /128).
 * An IPv4-mapped IPv6 range ({@code ::ffff:10.6.6.0/120}) is the IPv4 range it maps
 * ({@code 10.6.6.0/24}), as addresses are compared normalised ({@link IpAddresses}).
 */
public record Cidr(byte[] network, int prefixLength, String text) {

  /**
   * Parses a range written with an address literal (never a name look-up).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    byte[] written = address.indexOf('%') >= 0 ? null : NetUtil.createByteArrayFromIpAddressString(address);
    if (written == null) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or range");
    }
    int prefix;
    try {
      prefix = slash < 0 ? written.length * 8 : Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has an invalid prefix length");
    }
    if (prefix < 0 || prefix > written.length * 8) {
      throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0-" + written.length * 8);
    }
    byte[] bytes = IpAddresses.normalise(written);
    if (bytes.length != written.length) {
      if (prefix < 96) {
        throw new IllegalArgumentException("'" + text + "' reaches outside the IPv4-mapped addresses: write the IPv4 "
            + "range or a plain IPv6 one");
      }
      prefix -= 96;
    }
    return new Cidr(bytes, prefix, text);
  }

  /** Whether {@code address} (4 or 16 bytes, normalised here) is in this range. */
  public boolean contains(byte[] given) {
    byte[] address = IpAddresses.normalise(given);
    if (address.length != network.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    return rest == 0 || ((address[full] ^ network[full]) & (0xff << (8 - rest))) == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr other && prefixLength == other.prefixLength && java.util.Arrays.equals(network, other.network);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(network) * 31 + prefixLength;
  }

  @Override
  public String toString() {
    return text;
  }
}
