package dev.portico.contract;

/**
 * Canonical host names, as Portico compares them: ASCII (IDNs in punycode), lower case, without
 * port and trailing dot. This runs on every request, so the common case (an already canonical
 * name) returns its input without allocating.
 */
public final class HostName {

  /** RFC 1035: at most 253 characters in a name written without its trailing dot. */
  public static final int MAX_LENGTH = 253;
  public static final int MAX_LABEL_LENGTH = 63;

  private HostName() {
  }

  /**
   * The canonical form of the host in an authority ({@code Host} header, {@code :authority}, SNI):
   * {@code "Shop.Example.COM.:8080"} gives {@code "shop.example.com"}. An IPv6 literal keeps its
   * brackets. Returns {@code null} when the authority is malformed: empty or over-long labels,
   * characters other than letters, digits, {@code -} and {@code _}, a bad port, or non-ASCII text
   * (clients send IDNs in punycode).
   */
  public static String canonical(String authority) {
    if (authority == null) {
      return null;
    }
    int length = authority.length();
    if (length == 0) {
      return null;
    }
    if (authority.charAt(0) == '[') {
      return canonicalIpv6(authority);
    }
    int end = length;
    int colon = authority.indexOf(':');
    if (colon >= 0) {
      if (!isPort(authority, colon + 1, length)) {
        return null;
      }
      end = colon;
    }
    if (end > 0 && authority.charAt(end - 1) == '.') {
      end--;
    }
    if (end == 0 || end > MAX_LENGTH) {
      return null;
    }
    boolean lowerCase = true;
    int labelStart = 0;
    for (int i = 0; i < end; i++) {
      char c = authority.charAt(i);
      if (c == '.') {
        if (!isLabelLength(i - labelStart)) {
          return null;
        }
        labelStart = i + 1;
      } else if (c >= 'A' && c <= 'Z') {
        lowerCase = false;
      } else if (!isLowerLabelChar(c)) {
        return null;
      }
    }
    if (!isLabelLength(end - labelStart)) {
      return null;
    }
    String host = end == length ? authority : authority.substring(0, end);
    return lowerCase ? host : toLowerAscii(host);
  }

  /** Letters, digits, hyphen and underscore (used in service names such as {@code _dmarc}). */
  static boolean isLowerLabelChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }

  private static boolean isLabelLength(int length) {
    return length > 0 && length <= MAX_LABEL_LENGTH;
  }

  private static boolean isPort(String s, int from, int to) {
    int digits = to - from;
    if (digits < 1 || digits > 5) {
      return false;
    }
    int port = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      port = port * 10 + (c - '0');
    }
    return port <= 65535;
  }

  private static String canonicalIpv6(String authority) {
    int close = authority.indexOf(']');
    if (close < 3) {
      return null;
    }
    for (int i = 1; i < close; i++) {
      char c = authority.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex && c != ':' && c != '.') {
        return null;
      }
    }
    int length = authority.length();
    if (close + 1 < length && (authority.charAt(close + 1) != ':' || !isPort(authority, close + 2, length))) {
      return null;
    }
    return toLowerAscii(authority.substring(0, close + 1));
  }

  static String toLowerAscii(String s) {
    char[] chars = s.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      char c = chars[i];
      if (c >= 'A' && c <= 'Z') {
        chars[i] = (char) (c + ('a' - 'A'));
      }
    }
    return new String(chars);
  }
}
