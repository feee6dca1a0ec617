package dev.portico.edge.observe;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * The pending access log lines of one edge instance as UTF-8 bytes, written in place: JSON strings
 * escaped straight into the buffer, numbers as digits, the time stamp's seconds made once a second.
 * No String, StringBuilder or charset encoder stands between a request's fields and these bytes,
 * and the buffer is reused from batch to batch (only its event loop touches it).
 *
 * <p>The bytes are those of the line as text encoded in UTF-8 by {@link String#getBytes}: a character
 * beyond ASCII takes two to four bytes, a lone surrogate becomes {@code ?}.
 */
final class AccessLogBuffer {

  private static final byte[] NULL = ascii("null");
  private static final byte[] HEX = ascii("0123456789abcdef");
  /** The most bytes one character of a string can take: a control character escaped as {@code \}{@code u00XX}. */
  private static final int MAX_BYTES_PER_CHAR = 6;

  private byte[] bytes;
  private int length;
  /** The time stamp of {@link #stampSecond} up to its seconds, as {@link Instant#toString} writes it. */
  private byte[] stamp = new byte[0];
  private long stampSecond = Long.MIN_VALUE;

  AccessLogBuffer(int capacity) {
    bytes = new byte[capacity];
  }

  /** A constant's bytes, for the text between a line's values ({@code ,"field":}); ASCII only. */
  static byte[] ascii(String constant) {
    return constant.getBytes(StandardCharsets.US_ASCII);
  }

  int length() {
    return length;
  }

  /** The pending lines as a batch for the writer, and the buffer emptied for the next ones. */
  AccessLogBatch drain() {
    AccessLogBatch batch = new AccessLogBatch(Arrays.copyOf(bytes, length));
    length = 0;
    return batch;
  }

  void append(byte[] constant) {
    ensure(constant.length);
    System.arraycopy(constant, 0, bytes, length, constant.length);
    length += constant.length;
  }

  void append(char ascii) {
    ensure(1);
    bytes[length++] = (byte) ascii;
  }

  /** {@code value} quoted and escaped for JSON ({@code null} without quotes): it can never end the line or the string. */
  void string(String value) {
    if (value == null) {
      append(NULL);
      return;
    }
    append('"');
    escaped(value);
    append('"');
  }

  /** {@code value} escaped for the inside of a JSON string. */
  void escaped(String value) {
    int chars = value.length();
    ensure(chars * MAX_BYTES_PER_CHAR);
    byte[] out = bytes;
    int at = length;
    for (int i = 0; i < chars; i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        out[at++] = (byte) c;  // the common case
      } else if (c < 0x80) {
        at = escape(out, at, c);
      } else if (c < 0x800) {
        out[at++] = (byte) (0xc0 | c >> 6);
        out[at++] = (byte) (0x80 | c & 0x3f);
      } else if (!Character.isSurrogate(c)) {
        at = threeBytes(out, at, c);
      } else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(value.charAt(i + 1))) {
        int code = Character.toCodePoint(c, value.charAt(++i));
        out[at++] = (byte) (0xf0 | code >> 18);
        out[at++] = (byte) (0x80 | code >> 12 & 0x3f);
        out[at++] = (byte) (0x80 | code >> 6 & 0x3f);
        out[at++] = (byte) (0x80 | code & 0x3f);
      } else {
        out[at++] = '?';  // a lone surrogate, as String.getBytes writes it
      }
    }
    length = at;
  }

  /** The decimal digits of {@code value}, with a minus sign when it is negative. */
  void number(long value) {
    if (value < 0) {
      if (value == Long.MIN_VALUE) {
        append(ascii(Long.toString(value)));
        return;
      }
      append('-');
      value = -value;
    }
    int digits = 1;
    for (long power = 10; digits < 19 && value >= power; power *= 10) {
      digits++;
    }
    ensure(digits);
    byte[] out = bytes;
    for (int at = length + digits - 1; at >= length; at--) {
      long rest = value / 10;
      out[at] = (byte) ('0' + (value - rest * 10));
      value = rest;
    }
    length += digits;
  }

  /** Milliseconds with microsecond precision ({@code 1.234}), without going through floating point. */
  void millis(long nanos) {
    long micros = nanos / 1_000;
    number(micros / 1_000);
    append('.');
    padded(micros % 1_000);
  }

  /** The time as {@link Instant#toString} writes it, quoted: {@code "2026-11-28T04:30:12.345Z"}, no fraction on the second. */
  void time(long epochMillis) {
    long second = Math.floorDiv(epochMillis, 1000);
    if (second != stampSecond) {
      stampSecond = second;
      String whole = Instant.ofEpochSecond(second).toString();
      stamp = ascii(whole.substring(0, whole.length() - 1));  // without its Z
    }
    append('"');
    append(stamp);
    int fraction = (int) Math.floorMod(epochMillis, 1000);
    if (fraction != 0) {
      append('.');
      padded(fraction);
    }
    append('Z');
    append('"');
  }

  /** A number below 1000 in at least three digits ({@code 007}), as milliseconds and fractions of them are written. */
  private void padded(long value) {
    if (value < 10) {
      append('0');
    }
    if (value < 100) {
      append('0');
    }
    number(value);
  }

  /** The escape of an ASCII character that JSON does not allow as it is in a string. */
  private static int escape(byte[] out, int at, char c) {
    out[at++] = '\\';
    if (c == '"' || c == '\\') {
      out[at++] = (byte) c;
      return at;
    }
    out[at++] = 'u';
    out[at++] = '0';
    out[at++] = '0';
    out[at++] = HEX[c >> 4];
    out[at++] = HEX[c & 0xf];
    return at;
  }

  private static int threeBytes(byte[] out, int at, char c) {
    out[at++] = (byte) (0xe0 | c >> 12);
    out[at++] = (byte) (0x80 | c >> 6 & 0x3f);
    out[at++] = (byte) (0x80 | c & 0x3f);
    return at;
  }

  /** Room for {@code more} bytes: the buffer grows for a line longer than what is left (it is reused, never shrunk). */
  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }
}
