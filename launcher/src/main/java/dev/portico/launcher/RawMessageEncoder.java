package dev.portico.launcher;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;

import java.nio.charset.StandardCharsets;

/**
 * The access log's encoder: an event's message as it is, in UTF-8. The edge's writer logs batches
 * of lines tens of KB long, each line ending with its line break; a pattern layout ({@code %msg%n})
 * would copy each batch through a growing buffer and a String before encoding it, this encodes it
 * once.
 */
final class RawMessageEncoder extends EncoderBase<ILoggingEvent> {

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return event.getFormattedMessage().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }
}
