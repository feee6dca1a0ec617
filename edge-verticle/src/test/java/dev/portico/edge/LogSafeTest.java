package dev.portico.edge;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class LogSafeTest {

  @Test
  void plainTextIsKeptAsItIs() {
    String plain = "/api/x?y=1 caf\u00e9";
    assertSame(plain, LogSafe.escape(plain));
  }

  @Test
  void lineBreaksAndControlsAreEscaped() {
    assertEquals("a\\r\\nX-Forged: 1\\tb\\x00\\x7f\\x85\\\\", LogSafe.escape("a\r\nX-Forged: 1\tb\u0000\u007f\u0085\\"));
    assertEquals("\\r\\n", LogSafe.of("\r\n").toString());
    assertEquals("null", LogSafe.of(null).toString());
  }

  @Test
  void longValuesAreCut() {
    String escaped = LogSafe.escape("a".repeat(10_000));
    assertEquals(LogSafe.MAX_LENGTH + 3, escaped.length());
  }
}
