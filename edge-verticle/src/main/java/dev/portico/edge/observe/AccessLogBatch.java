package dev.portico.edge.observe;

import org.slf4j.Logger;

import java.nio.charset.StandardCharsets;

/**
 * Access log lines handed to the {@code portico.access} logger in one event: their UTF-8 bytes,
 * each line ending with its line break, as the event's key-value pair {@link #KEY} (the event has
 * no message). The launcher's encoder writes {@link #bytes} as they are, so a batch is never
 * decoded into a String and encoded back: that pair was an eighth of the bytes a proxied request
 * allocated. (As the message's argument it would be formatted into a String anyway: logback's
 * appenders format every event's message before encoding it.)
 */
public final class AccessLogBatch {

  /** The key the batch is logged under. */
  public static final String KEY = "portico.access.lines";

  private final byte[] bytes;

  public AccessLogBatch(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The lines' bytes; the caller must not change them. */
  public byte[] bytes() {
    return bytes;
  }

  /** Logs the batch as one event of {@code logger}. */
  public void logTo(Logger logger) {
    logger.atInfo().addKeyValue(KEY, this).log();
  }

  /** The lines as text, for an encoder other than the launcher's. */
  @Override
  public String toString() {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
