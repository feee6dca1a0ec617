package dev.portico.edge.observe;

import java.nio.charset.StandardCharsets;

/**
 * Access log lines handed to the {@code portico.access} logger in one event: their UTF-8 bytes,
 * each line ending with its line break. The launcher's encoder writes {@link #bytes} as they are,
 * so a batch is never decoded into a String and encoded back (that pair was an eighth of the
 * bytes a proxied request allocated); any other encoder gets the same text from {@link #toString}.
 */
public final class AccessLogBatch {

  private final byte[] bytes;

  public AccessLogBatch(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The lines' bytes; the caller must not change them. */
  public byte[] bytes() {
    return bytes;
  }

  @Override
  public String toString() {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
