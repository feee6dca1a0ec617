package dev.portico.edge;

/**
 * Request-derived text for the edge's log lines: a client must not be able to start a forged log
 * line (CR, LF) or hide text (other controls). CR, LF and tab are written as {@code \r},
 * {@code \n}, {@code \t}, a backslash as {@code \\}, other controls (C0, DEL, C1) as
 * {@code \xNN}; long values are cut. Escaping happens only when the line is written.
 */
public final class LogSafe {

  /** Longer values are cut: a log line quotes a request, it does not store it. */
  public static final int MAX_LENGTH = 512;

  private final Object value;

  private LogSafe(Object value) {
    this.value = value;
  }

  /** {@code value} (any object, null included), escaped when the log line is formatted. */
  public static Object of(Object value) {
    return new LogSafe(value);
  }

  @Override
  public String toString() {
    return escape(String.valueOf(value));
  }

  public static String escape(String text) {
    int length = Math.min(text.length(), MAX_LENGTH);
    StringBuilder out = null;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      boolean plain = c >= 0x20 && c != 0x7f && c != '\\' && (c < 0x80 || c > 0x9f);
      if (plain) {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(length + 16).append(text, 0, i);
      }
      switch (c) {
        case '\r' -> out.append("\\r");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        default -> out.append(String.format("\\x%02x", (int) c));
      }
    }
    String escaped = out == null ? text.substring(0, length) : out.toString();
    return length < text.length() ? escaped + "..." : escaped;
  }
}
