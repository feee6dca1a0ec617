package dev.portico.edge.upstream.pool;

import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The text backends send on nearly every response head, kept as shared constants: the field
 * names (as servers usually spell them, and in lower case) and the status line's words. The
 * decoder takes the constant when the bytes it read are exactly one of these, letter case
 * included, so what reaches the client is what the backend wrote; anything else it copies as
 * before. A proxied response then allocates no name per field (a copy of the name's bytes and
 * the object around them: about a tenth of what a proxied request allocated).
 */
final class KnownResponseText {

  private static final String[] FIELD_NAMES = {
      "Accept-Ranges", "Age", "Cache-Control", "Connection", "Content-Encoding", "Content-Language",
      "Content-Length", "Content-Location", "Content-Security-Policy", "Content-Type", "Date", "ETag", "Etag",
      "Expires", "Keep-Alive", "Last-Modified", "Location", "Referrer-Policy", "Server", "Set-Cookie",
      "Strict-Transport-Security", "Transfer-Encoding", "Vary", "Via", "X-Content-Type-Options", "X-Frame-Options",
  };
  private static final String[] LINE_WORDS = {
      "HTTP/1.1", "HTTP/1.0", "200", "204", "206", "301", "302", "304", "307", "308", "400", "401", "403", "404",
      "500", "502", "503", "504", "OK", "No Content", "Partial Content", "Moved Permanently", "Found",
      "Not Modified", "Temporary Redirect", "Permanent Redirect", "Bad Request", "Unauthorized", "Forbidden",
      "Not Found", "Internal Server Error", "Bad Gateway", "Service Unavailable", "Gateway Timeout",
  };
  private static final Table<AsciiString> NAMES = new Table<>(withLowerCase(FIELD_NAMES), AsciiString::cached);
  private static final Table<String> WORDS = new Table<>(LINE_WORDS, word -> word);

  private KnownResponseText() {
  }

  /** The shared field name whose bytes are exactly {@code line[start, start + length)}, or null. */
  static AsciiString fieldName(byte[] line, int start, int length) {
    return NAMES.find(line, start, length);
  }

  /** The shared status-line word (version, code or reason) of exactly those bytes, or null. */
  static String lineWord(byte[] line, int start, int length) {
    return WORDS.find(line, start, length);
  }

  private static String[] withLowerCase(String[] names) {
    return Arrays.stream(names).flatMap(name -> Stream.of(name, name.toLowerCase(Locale.ROOT))).distinct()
        .toArray(String[]::new);
  }

  /** Constants by their length in bytes, each with its ASCII bytes to compare against. */
  private static final class Table<T> {

    private final Object[][] constants;
    private final byte[][][] bytes;

    Table(String[] texts, Function<String, T> constant) {
      int longest = Arrays.stream(texts).mapToInt(String::length).max().orElse(0);
      constants = new Object[longest + 1][];
      bytes = new byte[longest + 1][][];
      for (int length = 0; length <= longest; length++) {
        List<String> sameLength = new ArrayList<>();
        for (String text : texts) {
          if (text.length() == length) {
            sameLength.add(text);
          }
        }
        constants[length] = sameLength.stream().map(constant).toArray();
        bytes[length] = sameLength.stream().map(text -> text.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
      }
    }

    @SuppressWarnings("unchecked")
    T find(byte[] line, int start, int length) {
      if (length >= bytes.length) {
        return null;
      }
      byte[][] candidates = bytes[length];
      for (int i = 0; i < candidates.length; i++) {
        if (Arrays.equals(line, start, start + length, candidates[i], 0, length)) {
          return (T) constants[length][i];
        }
      }
      return null;
    }
  }
}
