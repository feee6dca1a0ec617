package dev.portico.edge.observe;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The access log's bytes for times, numbers and long strings, without a server. */
class AccessLogBufferTest {

  @Test
  void theTimeIsWrittenAsInstantWritesIt() {
    AccessLogBuffer buffer = new AccessLogBuffer(8);
    long[] times = {
        Instant.parse("2026-11-28T04:30:12Z").toEpochMilli(), Instant.parse("2026-11-28T04:30:12.005Z").toEpochMilli(),
        Instant.parse("2026-11-28T04:30:12.050Z").toEpochMilli(), Instant.parse("2026-11-28T04:30:12.500Z").toEpochMilli(),
        Instant.parse("2026-11-28T04:30:12.999Z").toEpochMilli(), Instant.parse("2026-11-28T04:30:13.001Z").toEpochMilli(),
        -1, 0, Instant.parse("+12026-01-01T00:00:00.010Z").toEpochMilli()};
    for (long millis : times) {
      buffer.time(millis);
      assertEquals("\"" + Instant.ofEpochMilli(millis) + "\"", buffer.drain().toString(), "at " + millis);
    }
  }

  @Test
  void numbersAreTheirDecimalDigits() {
    AccessLogBuffer buffer = new AccessLogBuffer(4);
    for (long n : new long[] {0, 7, 10, 99, 100, 65535, 1_234_567_890_123L, 999_999_999_999_999_999L,
        1_000_000_000_000_000_000L, Long.MAX_VALUE, -5, Long.MIN_VALUE}) {
      buffer.number(n);
      assertEquals(Long.toString(n), buffer.drain().toString());
    }
  }

  @Test
  void durationsAreMillisecondsWithThreeDecimals() {
    AccessLogBuffer buffer = new AccessLogBuffer(4);
    long[] nanos = {0, 999, 1_000, 1_234_567, 12_345_678_901L, 5_000_000};
    String[] expected = {"0.000", "0.000", "0.001", "1.234", "12345.678", "5.000"};
    for (int i = 0; i < nanos.length; i++) {
      buffer.millis(nanos[i]);
      assertEquals(expected[i], buffer.drain().toString());
    }
  }

  @Test
  void aValueLongerThanTheBufferGrowsIt() {
    AccessLogBuffer buffer = new AccessLogBuffer(16);
    String path = "/" + "\u0001".repeat(50_000) + "é".repeat(50_000);
    buffer.string(path);
    String text = buffer.drain().toString();
    assertEquals("\"/" + "\\u0001".repeat(50_000) + "é".repeat(50_000) + "\"", text);
    buffer.string("next");
    assertEquals("\"next\"", buffer.drain().toString());
  }
}
