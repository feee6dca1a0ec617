package dev.portico.edge.upstream.pool;

import io.netty.util.AsciiString;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Shared field names and status-line words stand in only for exactly the bytes the backend sent. */
class KnownResponseTextTest {

  private static AsciiString name(String text) {
    byte[] line = ("x" + text + ": value").getBytes(StandardCharsets.US_ASCII);
    return KnownResponseText.fieldName(line, 1, text.length());
  }

  @Test
  void aKnownNameIsOneSharedConstantInTheSpellingsServersUse() {
    assertSame(name("Content-Type"), name("Content-Type"));
    assertEquals("Content-Type", name("Content-Type").toString());
    assertEquals("content-type", name("content-type").toString());
    assertEquals("ETag", name("ETag").toString());
  }

  @Test
  void anyOtherSpellingOrNameIsNotKnown() {
    assertNull(name("CONTENT-TYPE"));
    assertNull(name("Content-Typo"));
    assertNull(name("Content-Type-Options"));
    assertNull(name("X-Frame-Options-And-A-Name-Longer-Than-Any-Known"));
    assertNull(name(""));
  }

  @Test
  void statusLineWordsAreKnownByTheirExactBytes() {
    byte[] line = "HTTP/1.1 404 Not Found".getBytes(StandardCharsets.US_ASCII);
    assertSame("HTTP/1.1", KnownResponseText.lineWord(line, 0, 8));
    assertSame("404", KnownResponseText.lineWord(line, 9, 3));
    assertSame("Not Found", KnownResponseText.lineWord(line, 13, 9));
    assertNull(KnownResponseText.lineWord("not found".getBytes(StandardCharsets.US_ASCII), 0, 9));
  }

  @Test
  void theCallerGetsTheNamesAndReasonAsTheBackendWroteThem() throws Exception {
    PoolFixture upstream = new PoolFixture(PoolLimits.DEFAULTS);
    try (RawBackend backend = new RawBackend(upstream.vertx, "\r\n\r\n", (socket, n) -> socket.write(Buffer.buffer(
        "HTTP/1.1 404 Nicht Gefunden\r\nContent-Type: text/plain\r\nCONTENT-LANGUAGE: de\r\netag: \"1\"\r\n"
            + "X-Own: yes\r\nContent-Length: 2\r\n\r\nno")))) {
      PoolFixture.Answer answer = upstream.await(u -> u.exchange(PoolFixture.get(backend.port(), "/")));
      assertEquals(404, answer.status());
      assertEquals("Nicht Gefunden", answer.reason());
      assertEquals(List.of("Content-Type", "CONTENT-LANGUAGE", "etag", "X-Own", "Content-Length"), answer.fieldNames());
      assertEquals("no", answer.body());
    } finally {
      upstream.close();
    }
  }
}
