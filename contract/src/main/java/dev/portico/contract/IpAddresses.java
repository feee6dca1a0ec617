package dev.portico.contract;

import io.netty.util.NetUtil;

import java.util.Arrays;

/**
 * IP address literals as Portico compares them: every address is normalised the same way before
 * it meets an allow list, a deny list or a trusted-proxy range, so that one address cannot be
 * written two ways to slip past a rule. An IPv4-mapped IPv6 address ({@code ::ffff:10.6.6.1}) is
 * the IPv4 address it carries; nothing is ever looked up in DNS.
 */
public final class IpAddresses {

  private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

  private IpAddresses() {
  }

  /** The bytes of an IP address literal (4 or 16), normalised; {@code null} for anything else. */
  public static byte[] parse(String literal) {
    if (literal == null || literal.isEmpty() || literal.indexOf('%') >= 0) {
      return null;  // a zone id names an interface of the writer's host, not an address
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
    return bytes == null ? null : normalise(bytes);
  }

  /**
   * Like {@link #parse} for an address that may carry a port, as proxies write
   * {@code X-Forwarded-For} hops: {@code 10.0.0.1}, {@code 10.0.0.1:1234}, {@code ::1},
   * {@code [::1]}, {@code [::1]:80}. The port is dropped; {@code null} for anything malformed.
   */
  public static byte[] parseWithOptionalPort(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    String address = text;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0 || close != text.length() - 1 && !isPort(text, close + 1)) {
        return null;
      }
      address = text.substring(1, close);
      return address.indexOf(':') < 0 ? null : parse(address);  // brackets hold IPv6 only
    }
    int colon = text.indexOf(':');
    if (colon > 0 && colon == text.lastIndexOf(':')) {  // one colon: IPv4 with a port
      if (!isPort(text, colon)) {
        return null;
      }
      address = text.substring(0, colon);
      return address.indexOf('.') < 0 ? null : parse(address);
    }
    return parse(address);
  }

  /** IPv4-mapped IPv6 addresses as their IPv4 address; every other address unchanged. */
  public static byte[] normalise(byte[] address) {
    if (address.length == 16 && Arrays.equals(address, 0, 12, MAPPED_PREFIX, 0, 12)) {
      return Arrays.copyOfRange(address, 12, 16);
    }
    return address;
  }

  /** The usual text of an address ({@code 10.0.0.1}, {@code 2001:db8::1}). */
  public static String text(byte[] address) {
    return NetUtil.bytesToIpAddress(address);
  }

  /** Whether {@code text} from {@code colon} on is {@code :} and 1-5 digits. */
  private static boolean isPort(String text, int colon) {
    int digits = text.length() - colon - 1;
    if (text.charAt(colon) != ':' || digits < 1 || digits > 5) {
      return false;
    }
    for (int i = colon + 1; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return Integer.parseInt(text.substring(colon + 1)) <= 65535;
  }
}
