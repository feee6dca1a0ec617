package dev.portico.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP/1.x request framing and header syntax at the edge, over raw sockets, with a backend that
 * records what it receives: a request whose framing is ambiguous or whose fields are not valid
 * HTTP is refused with 400 (and its connection closed), and nothing of it reaches the backend;
 * what is forwarded is framed by the edge itself.
 */
class BadInputFramingTest {

  private static final String HOST = "framing.test";
  private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n";
  @RegisterExtension
  static final RecordedEdge edge = new RecordedEdge(HOST);

  /** Sends {@code request} and reads until the edge closes the connection (a read timeout fails the test). */
  static String exchange(String request) throws IOException {
    return exchangeOn(edge.harness, request);
  }

  /** {@link #exchange} with the edge of {@code node}. */
  static String exchangeOn(Harness node, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", node.httpPort())) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        received.write(buffer, 0, n);
      }
      return received.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /** How many HTTP responses {@code received} holds. */
  static int responses(String received) {
    int count = 0;
    for (int at = received.indexOf("HTTP/1."); at >= 0; at = received.indexOf("HTTP/1.", at + 1)) {
      if (at == 0 || received.startsWith("\n", at - 1) || received.startsWith("}", at - 1)) {
        count++;
      }
    }
    return count;
  }

  /**
   * Asserts that the backend received nothing but a probe request sent after the refused one,
   * and none of {@code injected}: the probe going through shows the backend would have recorded
   * anything forwarded before it.
   */
  static void assertBackendSawNothing(String... injected) {
    HttpResponse<String> probe = edge.harness.get(HOST, "/probe");
    assertEquals(200, probe.statusCode(), probe.body());
    Harness.waitFor(() -> !edge.backend.requests().isEmpty(), 10_000);
    List<RecordingBackend.Received> requests = edge.backend.requests();
    assertEquals(List.of("/probe"), requests.stream().map(RecordingBackend.Received::uri).toList(), edge.backend.raw());
    for (String bytes : injected) {
      assertFalse(edge.backend.raw().contains(bytes), "the backend received " + bytes + ": " + edge.backend.raw());
    }
  }

  static void assertRefused(String response) {
    assertTrue(response.startsWith("HTTP/1.1 400") || response.startsWith("HTTP/1.0 400"), response);
    assertEquals(1, responses(response), "one response, then the connection is closed: " + response);
  }

  @Test
  void contentLengthBesideChunkedOnHttp10IsRefused() throws IOException {
    String chunk = "wxyz" + SMUGGLED;
    String response = exchange("POST / HTTP/1.0\r\nHost: " + HOST + "\r\nContent-Length: 4\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n");
    assertRefused(response);
    assertBackendSawNothing("/smuggled", "wxyz");
  }

  /**
   * An h2c upgrade turns an HTTP/1.x request into HTTP/2 stream 1, whose body the HTTP/2 codec does
   * not hold to its content-length: the edge relays exactly the length it announces, never more.
   */
  @ParameterizedTest
  @ValueSource(strings = {"HTTP/1.0", "HTTP/1.1"})
  void anH2cUpgradeCannotCarryMoreBodyThanItsContentLength(String version) throws IOException {
    String chunk = "wxyz" + SMUGGLED;
    try (Socket socket = new Socket("127.0.0.1", edge.harness.httpPort())) {
      socket.setSoTimeout(3_000);
      socket.getOutputStream().write(("POST / " + version + "\r\nHost: " + HOST + "\r\nUpgrade: h2c\r\n"
          + "Connection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n"
          + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n"
          + chunk + "\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      byte[] buffer = new byte[8192];
      try {
        while (socket.getInputStream().read(buffer) >= 0) {
          // read whatever the edge answers (HTTP/1.x or HTTP/2 frames) until it closes or goes quiet
        }
      } catch (java.net.SocketTimeoutException quiet) {
        // an HTTP/2 connection stays open
      }
    }
    HttpResponse<String> probe = edge.harness.get(HOST, "/probe");
    assertEquals(200, probe.statusCode(), probe.body());
    Harness.waitFor(() -> edge.backend.requests().stream().anyMatch(r -> r.uri().equals("/probe")), 10_000);
    // the smuggled bytes may reach the backend as body of the one request (relayed chunked), never as a request
    assertEquals(List.of(), edge.backend.requests().stream().map(RecordingBackend.Received::uri)
        .filter(uri -> !uri.equals("/") && !uri.equals("/probe")).toList(), edge.backend.raw());
  }

  @Test
  void chunkedOnHttp10IsRefused() throws IOException {
    assertRefused(exchange("POST / HTTP/1.0\r\nHost: " + HOST + "\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "4\r\nwxyz\r\n0\r\n\r\n"));
    assertBackendSawNothing("wxyz");
  }

  @Test
  void whitespaceBeforeTheColonIsRefused() throws IOException {
    String body = "0\r\n\r\n" + SMUGGLED;
    String response = exchange("POST / HTTP/1.1\r\nHost: " + HOST + "\r\nTransfer-Encoding : chunked\r\n"
        + "Content-Length: " + body.length() + "\r\n\r\n" + body);
    assertRefused(response);
    assertBackendSawNothing("/smuggled", "Transfer-Encoding");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "chunked, gzip", "gzip, chunked", "identity", "chunked\r\nTransfer-Encoding: chunked",
      "chunked,", "\"chunked\""})
  void transferCodingsOtherThanOneChunkedAreRefused(String codings) throws IOException {
    assertRefused(exchange("POST / HTTP/1.1\r\nHost: " + HOST + "\r\nTransfer-Encoding: " + codings + "\r\n\r\n"
        + "4\r\nwxyz\r\n0\r\n\r\n" + SMUGGLED));
    assertBackendSawNothing("/smuggled", "wxyz");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Content-Length: 4\r\nContent-Length: 5", "Content-Length: 4, 5", "Content-Length: +4",
      "Content-Length: 4x", "Content-Length: -4", "Content-Length: 0x4", "Content-Length: 4 4"})
  void contentLengthsThatAreNotOneNumberAreRefused(String lengths) throws IOException {
    String response = exchange("POST / HTTP/1.1\r\nHost: " + HOST + "\r\n" + lengths + "\r\n\r\nwxyze" + SMUGGLED);
    assertTrue(response.startsWith("HTTP/1.1 400"), response);
    assertBackendSawNothing("/smuggled", "wxyz");
  }

  /**
   * HTTP/1.1 chunked beside a Content-Length: refused (RFC 9112 6.1 lets a server reject it;
   * Netty 4.2.18's decoder does), so nothing of it is forwarded and the connection closes.
   */
  @Test
  void chunkedBesideContentLengthOnHttp11IsRefused() throws IOException {
    String chunk = "wxyz" + SMUGGLED;
    String response = exchange("POST /upload HTTP/1.1\r\nHost: " + HOST + "\r\nContent-Length: 4\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n"
        + chunk + "\r\n0\r\n\r\n");
    assertRefused(response);
    assertBackendSawNothing("/smuggled", "wxyz");
  }

  @ParameterizedTest
  @ValueSource(strings = {"X-A : b", "X-A\t: b", "X A: b", "X-A\u0000: b", "X-A\rX: b", "(X): b", "X-Ä: b"})
  void malformedFieldNamesAreRefused(String field) throws IOException {
    assertRefused(exchange("GET / HTTP/1.1\r\nHost: " + HOST + "\r\n" + field + "\r\n\r\n"));
    assertBackendSawNothing("X-A", "X A");
  }

  @ParameterizedTest
  @ValueSource(strings = {"X-A: a\u0000b", "X-A: a\rb", "X-A: a\rContent-Length: 0", "X-A: a\u007fb",
      "X-A: a\u0001b", "X-A: a\u000bb"})
  void controlCharactersInFieldValuesAreRefused(String field) throws IOException {
    assertRefused(exchange("GET / HTTP/1.1\r\nHost: " + HOST + "\r\n" + field + "\r\n\r\n"));
    assertBackendSawNothing("X-A");
  }

  /** An obs-fold is replaced by a space (RFC 9112 5.2): the backend gets one line, nothing injected. */
  @Test
  void foldedFieldsReachTheBackendOnOneLine() throws IOException {
    String response = exchange("GET / HTTP/1.1\r\nHost: " + HOST + "\r\nX-A: a\r\n Transfer-Encoding: chunked\r\n"
        + "Connection: close\r\n\r\n");
    if (response.startsWith("HTTP/1.1 400")) {
      assertBackendSawNothing("Transfer-Encoding");
      return;
    }
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
    RecordingBackend.Received received = edge.backend.requests().get(0);
    assertEquals(List.of(), received.header("Transfer-Encoding"), edge.backend.raw());
    assertEquals(List.of("a Transfer-Encoding: chunked"), received.header("X-A"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET /a\u0000b HTTP/1.1", "GET /caf\u00e9 HTTP/1.1", "GET /a\u0001 HTTP/1.1",
      "GET /a\u007f HTTP/1.1", "G\u0000T / HTTP/1.1", "GET /a b HTTP/1.1", "GET /a HTTP/1.1 x"})
  void malformedRequestLinesAreRefused(String requestLine) throws IOException {
    assertRefused(exchange(requestLine + "\r\nHost: " + HOST + "\r\n\r\n"));
    assertBackendSawNothing("/a", "/caf");
  }

  /** Fields a client names in any of its Connection lines, tab-separated or not, are for the edge alone. */
  @Test
  void fieldsNamedInAnyConnectionLineStayAtTheEdge() throws IOException {
    String response = exchange("GET / HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: keep-alive\r\n"
        + "Connection: X-Secret,\tX-Tabbed\r\nX-Secret: for the edge\r\nX-Tabbed: also\r\nX-Kept: end to end\r\n"
        + "Connection: close\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
    RecordingBackend.Received received = edge.backend.requests().get(0);
    assertEquals(List.of(), received.header("X-Secret"), edge.backend.raw());
    assertEquals(List.of(), received.header("X-Tabbed"), edge.backend.raw());
    assertEquals(List.of("end to end"), received.header("X-Kept"));
  }

  @Test
  void forwardedAndXRealIpFromClientsAreDropped() throws IOException {
    String response = exchange("GET / HTTP/1.1\r\nHost: " + HOST + "\r\nForwarded: for=10.9.9.9;proto=https\r\n"
        + "X-Real-IP: 10.9.9.9\r\nConnection: close\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
    RecordingBackend.Received received = edge.backend.requests().get(0);
    assertEquals(List.of(), received.header("Forwarded"));
    assertEquals(List.of(), received.header("X-Real-IP"));
    assertFalse(edge.backend.raw().contains("10.9.9.9"), edge.backend.raw());
  }

  @Test
  void theHostSentOnIsCanonical() throws IOException {
    String response = exchange("GET / HTTP/1.1\r\nHost: FRAMING.Test.:8080\r\nConnection: close\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
    RecordingBackend.Received received = edge.backend.requests().get(0);
    assertEquals(List.of("framing.test:8080"), received.header("Host"));
    assertEquals(List.of("framing.test:8080"), received.header("X-Forwarded-Host"));
  }

  /**
   * A chunked body that turns malformed half-way (after the head went to the backend) is not
   * ended as if complete: the backend request is reset, and the backend never runs it.
   */
  @Test
  void aBodyBrokenOffHalfWayIsNeverRunByTheBackend() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", edge.harness.httpPort())) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /broken HTTP/1.1\r\nHost: " + HOST + "\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      Harness.waitFor(() -> edge.backend.raw().contains("hello"), 10_000);
      out.write("5\r\nhell\u0000o\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      assertTrue(socket.getInputStream().readAllBytes().length >= 0);  // until the edge closes: no hang
    }
    HttpResponse<String> probe = edge.harness.get(HOST, "/probe");
    assertEquals(200, probe.statusCode(), probe.body());
    assertEquals(List.of("/probe"), edge.backend.requests().stream().filter(RecordingBackend.Received::complete)
        .map(RecordingBackend.Received::uri).toList(), edge.backend.raw());
  }

  /** A backend never frames the client's response: its invalid fields and reason phrase are dropped. */
  @Test
  void aBackendsInvalidFieldsAreNotPassedOn() throws IOException {
    var server = Harness.await(edge.harness.testVertx.createNetServer().connectHandler(socket -> socket.handler(bytes ->
        socket.write("HTTP/1.1 200 O\u0000K\r\nX-Nul: a\u0000b\r\nX-Cr: a\rSet-Cookie: forged=1\r\n"
            + "X-Good: yes\r\nContent-Length: 2\r\n\r\nok"))).listen(0, "127.0.0.1"));
    try {
      edge.harness.putSite("bad-edge.backend.framing.test", server.actualPort());
      String response = exchange("GET / HTTP/1.1\r\nHost: bad-edge.backend.framing.test\r\nConnection: close\r\n\r\n");
      assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
      assertTrue(response.contains("\r\nX-Good: yes\r\n"), response);
      assertFalse(response.contains("X-Nul") || response.contains("X-Cr") || response.contains("forged")
          || response.contains("\u0000"), response);
      assertTrue(response.endsWith("\r\n\r\nok"), response);
    } finally {
      Harness.await(server.close());
    }
  }

  /**
   * A trailing-dot SNI name (RFC 6066 forbids it, clients send it) gets the certificate of the
   * name without the dot, not a TLS alert. Sent with Debian's {@code openssl s_client}: the JDK's
   * client cannot send such a name.
   */
  @Test
  void aTrailingDotSniNameGetsTheCertificateOfTheName() throws Exception {
    edge.harness.putSite("sni.framing.test", "{\"targets\":[\"127.0.0.1:" + edge.backend.port() + "\"],\"tls\":\"manual\"}");
    Harness.await(edge.harness.redisApi.set(List.of("portico:cert:sni.framing.test",
        TestCertificates.stored("sni.framing.test"))));
    Process process = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + edge.harness.httpsPort(),
        "-servername", "sni.framing.test.", "-ign_eof").redirectErrorStream(true).start();
    process.getOutputStream().write(("GET / HTTP/1.1\r\nHost: sni.framing.test\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    assertTrue(process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS), "openssl s_client hung");
    assertTrue(output.contains("subject=CN = sni.framing.test"), output);
    assertTrue(output.contains("HTTP/1.1 200"), "the name's requests go through on that connection: " + output);
  }

  /** Duplicate targets, both down, one retry: the second choice finds no untried target; still 502. */
  @Test
  void duplicateTargetsThatAreBothDownAnswer502() throws IOException {
    int down = Harness.freePort();
    edge.harness.putSite("down.framing.test", "{\"targets\":[\"127.0.0.1:" + down + "\",\"127.0.0.1:" + down + "\"],"
        + "\"retries\":1}");
    String response = exchange("GET / HTTP/1.1\r\nHost: down.framing.test\r\nConnection: close\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 502"), response);
  }
}
