package dev.portico.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.portico.edge.observe.AccessLogBatch;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The access log's bytes: a batch of lines exactly as the edge built it (each with its line break), in UTF-8. */
class RawMessageEncoderTest {

  private static byte[] encoded(String message, Object... arguments) {
    LoggerContext context = new LoggerContext();
    RawMessageEncoder encoder = new RawMessageEncoder();
    encoder.setContext(context);
    encoder.start();
    LoggingEvent event = new LoggingEvent(RawMessageEncoderTest.class.getName(), context.getLogger("portico.access"),
        Level.INFO, message, null, arguments.length == 0 ? null : arguments);
    return encoder.encode(event);
  }

  private static String encoded(String message) {
    return new String(encoded(message, new Object[0]), StandardCharsets.UTF_8);
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
  void theEdgesBatchIsWrittenAsItsBytes() {
    byte[] lines = "{\"host\":\"bücher.example\",\"path\":\"/{}\"}\n{\"b\":2}\n".getBytes(StandardCharsets.UTF_8);
    AccessLogBatch batch = new AccessLogBatch(lines);
    assertArrayEquals(lines, encoded("{}", batch));
    assertEquals(new String(lines, StandardCharsets.UTF_8), batch.toString(), "what another encoder of the logger would write");
  }

  @Test
  void placeholdersInALineAreNotFormatted() {
    assertEquals("{\"path\":\"/{}\"}\n", encoded("{\"path\":\"/{}\"}\n"));
  }
}
