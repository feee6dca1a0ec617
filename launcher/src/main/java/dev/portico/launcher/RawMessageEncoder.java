package dev.portico.launcher;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import dev.portico.edge.observe.AccessLogBatch;
import org.slf4j.event.KeyValuePair;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The access log's encoder. The edge's writer logs batches of lines tens of KB long, each line
 * ending with its line break, as an {@link AccessLogBatch} of bytes already in UTF-8 (the event's
 * one key-value pair, no message): those are written as they are. Any other event's message is
 * written as it is, in UTF-8 (none: nothing). A pattern layout ({@code %msg%n}) would copy each
 * batch through a String and a growing buffer before encoding it.
 */
final class RawMessageEncoder extends EncoderBase<ILoggingEvent> {

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null && pairs.size() == 1 && pairs.get(0).value instanceof AccessLogBatch batch) {
      return batch.bytes();
    }
    String message = event.getFormattedMessage();
    return message == null ? new byte[0] : message.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }
}
