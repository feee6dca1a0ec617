package dev.portico.contract;

/**
 * The byte-level half of {@link RequestPath}: one path segment or the query read, checked and
 * percent-encoded as that class's comment says (unreserved escapes decoded, other escapes in
 * upper-case hex, bytes above 0x7F checked as UTF-8 and escaped). Linear in the input.
 */
final class PercentEncoding {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PercentEncoding() {
  }

  /** One segment of {@code target} between {@code start} and {@code end}, normalised. */
  static String segment(String target, int start, int end) {
    StringBuilder out = new StringBuilder(end - start);
    Utf8 utf8 = new Utf8();
    for (int i = start; i < end; i++) {
      char c = target.charAt(i);
      boolean escaped = c == '%';
      int b;
      if (escaped) {
        if (i + 2 >= end) {
          throw new RequestPath.InvalidPathException("a % is not followed by two hex digits");
        }
        int high = Character.digit(target.charAt(i + 1), 16);
        int low = Character.digit(target.charAt(i + 2), 16);
        if (high < 0 || low < 0) {
          throw new RequestPath.InvalidPathException("a % is not followed by two hex digits");
        }
        b = high << 4 | low;
        i += 2;
      } else if (c > 0xff) {
        throw new RequestPath.InvalidPathException("the path holds a character that is not a byte");
      } else {
        b = c;
      }
      if (b >= 0x80) {
        utf8.accept(b);
        appendEscaped(out, b);
        continue;
      }
      utf8.acceptAscii();
      if (b < 0x20 || b == 0x7f) {
        throw new RequestPath.InvalidPathException("the path holds a control character");
      }
      if (escaped) {
        if (b == '/' || b == '\\') {
          throw new RequestPath.InvalidPathException("the path holds an encoded / or \\");
        }
        if (isUnreserved(b)) {
          out.append((char) b);
        } else {
          appendEscaped(out, b);
        }
      } else if (b == ' ' || b == '\\' || b == '#') {
        throw new RequestPath.InvalidPathException("the path holds a space, \\ or #");
      } else if (isUnreserved(b) || "!$&'()*+,;=:@".indexOf(b) >= 0) {
        out.append(c);
      } else {
        appendEscaped(out, b);
      }
    }
    utf8.end();
    return out.toString();
  }

  /** The query from {@code start}: checked, raw bytes above 0x7F percent-encoded. */
  static String query(String target, int start) {
    StringBuilder out = null;
    for (int i = start; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= 0x20 || c == 0x7f || c == '#') {
        throw new RequestPath.InvalidPathException("the query holds a control character, space or #");
      }
      if (c > 0xff) {
        throw new RequestPath.InvalidPathException("the query holds a character that is not a byte");
      }
      if (c >= 0x80 && out == null) {
        out = new StringBuilder(target.length() - start + 16).append(target, start, i);
      }
      if (c >= 0x80) {
        appendEscaped(out, c);
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? target.substring(start) : out.toString();
  }

  static boolean isUnreserved(int b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' || b == '.'
        || b == '_' || b == '~';
  }

  static void appendEscaped(StringBuilder out, int b) {
    out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
  }

  /** Checks that bytes above 0x7F form well-formed UTF-8 (Unicode table 3-7: no overlong forms, no surrogates). */
  private static final class Utf8 {
    private int pending;
    private int low = 0x80;
    private int high = 0xbf;

    void accept(int b) {
      if (pending > 0) {
        if (b < low || b > high) {
          throw invalid();
        }
        pending--;
        low = 0x80;
        high = 0xbf;
        return;
      }
      if (b >= 0xc2 && b <= 0xdf) {
        pending = 1;
      } else if (b >= 0xe0 && b <= 0xef) {
        pending = 2;
        low = b == 0xe0 ? 0xa0 : 0x80;
        high = b == 0xed ? 0x9f : 0xbf;
      } else if (b >= 0xf0 && b <= 0xf4) {
        pending = 3;
        low = b == 0xf0 ? 0x90 : 0x80;
        high = b == 0xf4 ? 0x8f : 0xbf;
      } else {
        throw invalid();
      }
    }

    void acceptAscii() {
      if (pending > 0) {
        throw invalid();
      }
    }

    void end() {
      acceptAscii();
    }

    private static RequestPath.InvalidPathException invalid() {
      return new RequestPath.InvalidPathException("the path holds bytes above 0x7F that are not UTF-8");
    }
  }
}
