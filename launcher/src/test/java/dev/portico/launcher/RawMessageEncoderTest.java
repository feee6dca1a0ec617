package dev.portico.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import dev.portico.edge.observe.AccessLogBatch;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The access log's bytes: a batch of lines exactly as the edge built it (each with its line break), in UTF-8. */
class RawMessageEncoderTest {

  private static String encoded(String message) {
    LoggerContext context = new LoggerContext();
    RawMessageEncoder encoder = new RawMessageEncoder();
    encoder.setContext(context);
    encoder.start();
    LoggingEvent event = new LoggingEvent(RawMessageEncoderTest.class.getName(), context.getLogger("portico.access"),
        Level.INFO, message, null, null);
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  @Test
  void aBatchOfLinesIsWrittenAsItIs() {
    assertEquals("{\"a\":1}\n{\"b\":2}\n", encoded("{\"a\":1}\n{\"b\":2}\n"));
  }

  @Test
  void textBeyondAsciiIsUtf8() {
    assertEquals("{\"host\":\"bücher.example\"}\n", encoded("{\"host\":\"bücher.example\"}\n"));
  }

  @Test
  void theEdgesBatchIsWrittenAsItsBytesThroughALogbackAppender() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());  // what the SLF4J binding gives the process's context
    RawMessageEncoder encoder = new RawMessageEncoder();
    encoder.setContext(context);
    encoder.start();
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(written);
    appender.start();
    Logger access = context.getLogger("portico.access");
    access.addAppender(appender);
    byte[] lines = "{\"host\":\"bücher.example\",\"path\":\"/{}\"}\n{\"b\":2}\n".getBytes(StandardCharsets.UTF_8);

    new AccessLogBatch(lines).logTo(access);

    assertArrayEquals(lines, written.toByteArray());
  }

  @Test
  void placeholdersInALineAreNotFormatted() {
    assertEquals("{\"path\":\"/{}\"}\n", encoded("{\"path\":\"/{}\"}\n"));
  }
}
