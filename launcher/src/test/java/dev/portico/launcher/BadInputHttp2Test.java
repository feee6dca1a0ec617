package dev.portico.launcher;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.portico.launcher.RawH2Client.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP/2 (h2c with prior knowledge, on the edge's HTTP port) requests that no HTTP/1.1 message
 * could carry, sent by a raw client: fields holding CR, LF or NUL, upper-case or
 * connection-specific fields, pseudo-header abuse, odd request targets and methods, a
 * content-length the DATA disagrees with. Each is refused (400, stream reset or GOAWAY), always
 * answered, and nothing of it reaches the HTTP/1.1 edge.backend.
 */
class BadInputHttp2Test {

  private static final String HOST = "h2.framing.test";
  private static final String INJECTION = "a\r\nContent-Length: 0\r\n\r\nGET /api/secret HTTP/1.1\r\nHost: " + HOST
      + "\r\nX-User: admin";
  @RegisterExtension
  static final RecordedEdge edge = new RecordedEdge(HOST);

  private static Outcome get(String path, List<Map.Entry<String, String>> fields) throws IOException {
    try (RawH2Client client = new RawH2Client(edge.harness.httpPort())) {
      return client.get(HOST, path, fields);
    }
  }

  private static Outcome send(List<Map.Entry<String, String>> fields, byte[] body) throws IOException {
    try (RawH2Client client = new RawH2Client(edge.harness.httpPort())) {
      return client.outcome(client.send(fields, body));
    }
  }

  /** As {@link BadInputFramingTest#assertBackendSawNothing}: only a later probe reached the edge.backend. */
  private static void assertBackendSawNothing(String... injected) {
    HttpResponse<String> probe = edge.harness.get(HOST, "/probe");
    assertEquals(200, probe.statusCode(), probe.body());
    Harness.waitFor(() -> !edge.backend.requests().isEmpty(), 10_000);
    assertEquals(List.of("/probe"), edge.backend.requests().stream().map(RecordingBackend.Received::uri).toList(),
        edge.backend.raw());
    for (String bytes : injected) {
      assertFalse(edge.backend.raw().contains(bytes), "the backend received " + bytes + ": " + edge.backend.raw());
    }
  }

  private static void assertRefused(Outcome outcome) {
    assertTrue(outcome.refused(), outcome.toString());
  }

  @Test
  void aValidRequestGoesThrough() throws IOException {
    Outcome outcome = get("/ok", List.of(Map.entry("x-a", "b")));
    assertEquals(200, outcome.status(), outcome.toString());
    assertEquals(List.of("b"), edge.backend.requests().get(0).header("X-A"));
  }

  /** RFC 9113 8.2.3: HTTP/2's cookie fields reach the HTTP/1.1 backend as one (Vert.x joins them). */
  @Test
  void cookieFieldsReachTheBackendAsOne() throws IOException {
    Outcome outcome = get("/cookies", List.of(Map.entry("cookie", "a=1"), Map.entry("cookie", "b=2")));
    assertEquals(200, outcome.status(), outcome.toString());
    assertEquals(List.of("a=1; b=2"), edge.backend.requests().get(0).header("Cookie"));
  }

  @Test
  void headerInjectionThroughAValueIsRefused() throws IOException {
    assertRefused(get("/", List.of(Map.entry("x-a", INJECTION))));
    assertBackendSawNothing("/api/secret", "X-User", "x-a");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\nb", "a\rb", "a\u0000b", "a\r\nx-b: c", " a", "a ", "a\t", "a\u007fb", "a\u0001b"})
  void controlCharactersAndOuterWhitespaceInValuesAreRefused(String value) throws IOException {
    assertRefused(get("/", List.of(Map.entry("x-a", value))));
    assertBackendSawNothing("x-a", "X-A");
  }

  @ParameterizedTest
  @ValueSource(strings = {"x-a\r\nx-b", "x-a\nx-b", "x-a\rb", "x-a\u0000", "X-A", "x a", "x-a:", "", "x-\u00e4"})
  void malformedNamesAreRefused(String name) throws IOException {
    assertRefused(get("/", List.of(Map.entry(name, "v"))));
    assertBackendSawNothing("x-b", "x-a");
  }

  @ParameterizedTest
  @ValueSource(strings = {"connection", "transfer-encoding", "keep-alive", "upgrade", "proxy-connection"})
  void connectionSpecificFieldsAreRefused(String name) throws IOException {
    assertRefused(get("/", List.of(Map.entry(name, "chunked"))));
    assertBackendSawNothing("chunked");
  }

  @Test
  void teOtherThanTrailersIsRefusedAndTrailersIsNotForwarded() throws IOException {
    assertRefused(get("/", List.of(Map.entry("te", "gzip"))));
    assertBackendSawNothing("gzip");
    edge.backend.clear();
    assertEquals(200, get("/", List.of(Map.entry("te", "trailers"))).status());
    assertEquals(List.of(), edge.backend.requests().get(0).header("TE"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a b", "/a\r\nX-Injected: 1", "/a\nb", "/a\u0000", "/caf\u00e9", "/a\u007f", "a", ""})
  void malformedPathsAreRefused(String path) throws IOException {
    assertRefused(get(path, List.of()));
    assertBackendSawNothing("X-Injected", "/a", "/caf");
  }

  /**
   * Refused, or the connection closed (Netty's HttpMethod throws for whitespace or an empty name,
   * and Vert.x drops the connection), or, for a NUL at the end, forwarded as the method Netty
   * trims it to: never with the bytes sent.
   */
  @ParameterizedTest
  @ValueSource(strings = {"GET /x HTTP/1.1\r\nX-A:", "G T", "GET\u0000", "", "G\u00e9T", "GET\r\nX-A: 1"})
  void malformedMethodsAreNeverForwarded(String method) throws IOException {
    Outcome outcome = send(List.of(Map.entry(":method", method), Map.entry(":scheme", "http"),
        Map.entry(":authority", HOST), Map.entry(":path", "/m")), null);
    if (outcome.kind() == Outcome.Kind.RESPONSE && outcome.status() == 200) {
      assertEquals(List.of("GET"), edge.backend.requests().stream().map(RecordingBackend.Received::method).toList());
      assertFalse(edge.backend.raw().contains(method), edge.backend.raw());
      return;
    }
    assertTrue(outcome.refused() || outcome.kind() == Outcome.Kind.CLOSED, outcome.toString());
    assertBackendSawNothing("/m", "/x", "X-A");
  }

  /**
   * A client cannot forge log lines: a refusal the edge's handler makes is logged once, the
   * request's line breaks escaped; Netty (4.2.18 on) already resets a stream whose :path holds
   * them, and then nothing of it is logged.
   */
  @Test
  void logLinesCarryNoRawLineBreaksFromTheRequest() throws IOException {
    Logger logger = (Logger) LoggerFactory.getLogger("dev.portico.edge.http.RequestHandler");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      Outcome outcome = get("/a\r\n12:00:00.000 WARN  forged line", List.of());
      assertRefused(outcome);
      List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage)
          .filter(line -> line.contains("forged line")).toList();
      assertEquals(outcome.kind() == Outcome.Kind.RESPONSE ? 1 : 0, lines.size(), outcome + " " + lines);
      for (String line : lines) {
        assertTrue(line.contains("/a\\r\\n12:00:00.000 WARN  forged line"), line);
        assertFalse(line.contains("\r") || line.contains("\n"), line);
      }
    } finally {
      logger.detachAppender(appender);
    }
  }

  @Test
  void connectIsAnswered() throws IOException {
    Outcome outcome = send(List.of(Map.entry(":method", "CONNECT"), Map.entry(":authority", HOST + ":443")), null);
    assertTrue(outcome.refused() || outcome.status() == 405, outcome.toString());
    assertBackendSawNothing();
  }

  @Test
  void duplicateMissingOrMismatchedPseudoHeadersAreRefused() throws IOException {
    assertRefused(send(List.of(Map.entry(":method", "GET"), Map.entry(":scheme", "http"),
        Map.entry(":authority", HOST), Map.entry(":path", "/one"), Map.entry(":path", "/two")), null));
    assertRefused(send(List.of(Map.entry(":method", "GET"), Map.entry(":scheme", "http"),
        Map.entry(":authority", HOST)), null));
    assertRefused(send(List.of(Map.entry(":method", "GET"), Map.entry(":scheme", "http"),
        Map.entry(":authority", HOST), Map.entry(":path", "/h"), Map.entry("host", "other.test")), null));
    assertRefused(send(List.of(Map.entry(":method", "GET"), Map.entry(":scheme", "http"),
        Map.entry(":authority", HOST), Map.entry(":path", "/h"), Map.entry(":status", "200")), null));
    assertBackendSawNothing("/one", "/two", "/h");
  }

  @Test
  void aContentLengthTheDataDisagreesWithIsNotForwarded() throws IOException {
    byte[] longer = ("abcd" + "GET /smuggled HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    List<Map.Entry<String, String>> fields = List.of(Map.entry(":method", "POST"), Map.entry(":scheme", "http"),
        Map.entry(":authority", HOST), Map.entry(":path", "/post"), Map.entry("content-length", "4"));
    assertRefused(send(fields, longer));
    assertBackendSawNothing("/smuggled");
    edge.backend.clear();
    assertRefused(send(fields, "ab".getBytes(StandardCharsets.ISO_8859_1)));
    assertBackendSawNothing();
  }

  @Test
  void aBodyIsForwardedWithTheEdgesOwnFraming() throws IOException {
    Outcome outcome = send(List.of(Map.entry(":method", "POST"), Map.entry(":scheme", "http"),
        Map.entry(":authority", HOST), Map.entry(":path", "/post"), Map.entry("content-length", "4")),
        "abcd".getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(200, outcome.status(), outcome.toString());
    RecordingBackend.Received received = edge.backend.requests().get(0);
    assertEquals("abcd", received.body());
    assertEquals(List.of("4"), received.header("Content-Length"));
  }
}
