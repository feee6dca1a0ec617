package dev.portico.launcher;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resource limits at the edge, tried with real sockets against a real node: request bodies over a
 * site's limit, slow request heads, connections per client address, HTTP/2 stream and reset limits.
 * Limits are set low through the node's environment so that each case runs in seconds.
 */
class BadInputLimitsTest {

  private static final int NODE_MAX_BODY = 1000;
  private static final int SITE_MAX_BODY = 100;
  private static final int MAX_STREAMS = 5;
  private static final int MAX_RESETS = 20;
  private static final int HEAD_TIMEOUT_MS = 2_000;
  /** A head dripped a byte per 200 ms takes this long in all: ten times the deadline. */
  private static final String SLOW_HEAD = "GET /slow HTTP/1.1\r\nHost: default.test\r\nX-Slow: " + "s".repeat(60) + "\r\n\r\n";
  private static final int MAX_CONNECTIONS = 20;

  private static Harness harness;
  private static RecordingBackend backend;

  @BeforeAll
  static void start() throws IOException {
    harness = new Harness(Map.of("PORTICO_MAX_BODY_BYTES", Integer.toString(NODE_MAX_BODY),
        "PORTICO_HTTP2_MAX_CONCURRENT_STREAMS", Integer.toString(MAX_STREAMS),
        "PORTICO_HTTP2_MAX_RESETS", Integer.toString(MAX_RESETS),
        "PORTICO_REQUEST_HEAD_TIMEOUT_MS", Integer.toString(HEAD_TIMEOUT_MS),
        "PORTICO_MAX_CONNECTIONS_PER_ADDRESS", Integer.toString(MAX_CONNECTIONS),
        "PORTICO_ROLES", "edge,admin"));
    backend = new RecordingBackend(harness.testVertx);
    harness.putSite("small.test", "{\"targets\":[\"127.0.0.1:" + backend.port() + "\"],\"maxBodyBytes\":"
        + SITE_MAX_BODY + "}");
    harness.putSite("default.test", backend.port());
    Harness.waitFor(() -> harness.get("small.test", "/").statusCode() == 200, 10_000);
  }

  @AfterAll
  static void stop() {
    backend.close();
    harness.close();
  }

  @BeforeEach
  void clear() {
    backend.clear();
  }

  @Test
  void declaredLengthOverTheSiteLimitIsRefusedBeforeAnythingIsForwarded() throws IOException {
    String response = harness.raw("POST /upload HTTP/1.1\r\nHost: small.test\r\nContent-Length: 101\r\n\r\n"
        + "x".repeat(101));
    assertTrue(response.startsWith("HTTP/1.1 413 "), response);
    assertTrue(response.contains("payload too large"), response);
    assertEquals("", backend.raw());
  }

  @Test
  void declaredLengthAtTheLimitPasses() throws IOException {
    String response = harness.raw("POST /upload HTTP/1.1\r\nHost: small.test\r\nContent-Length: 100\r\n\r\n"
        + "x".repeat(100));
    assertTrue(response.startsWith("HTTP/1.1 200 "), response);
    assertEquals("x".repeat(100), backend.requests().get(0).body());
  }

  @Test
  void theNodeLimitAppliesToSitesWithoutTheirOwn() throws IOException {
    String refused = harness.raw("POST / HTTP/1.1\r\nHost: default.test\r\nContent-Length: 1001\r\n\r\n");
    assertTrue(refused.startsWith("HTTP/1.1 413 "), refused);
    assertEquals("", backend.raw());
    String passed = harness.raw("POST / HTTP/1.1\r\nHost: default.test\r\nContent-Length: 1000\r\n\r\n"
        + "y".repeat(1000));
    assertTrue(passed.startsWith("HTTP/1.1 200 "), passed);
  }

  @Test
  void chunkedBodyGrowingOverTheLimitIsCutOffAndTheBackendNeverGetsACompleteRequest() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", harness.httpPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("POST /stream HTTP/1.1\r\nHost: small.test\r\nTransfer-Encoding: chunked\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      out.write("3c\r\n".concat("a".repeat(60)).concat("\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      // the first 60 bytes are under the limit and on their way to the backend
      Harness.waitFor(() -> backend.raw().contains("a".repeat(60)), 10_000);
      out.write("3c\r\n".concat("b".repeat(60)).concat("\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String response = readAll(socket.getInputStream());
      assertTrue(response.startsWith("HTTP/1.1 413 "), response);
      assertTrue(response.toLowerCase().contains("connection: close"), response);
    }
    // the backend's connection was reset mid-body: no end of body, no request with the whole body
    Harness.waitFor(() -> received("/stream").size() == 1, 10_000);
    assertEquals("", received("/stream").get(0).body());
    assertFalse(backend.raw().contains("b".repeat(60)), backend.raw());
    assertFalse(backend.raw().contains("\r\n0\r\n\r\n"), backend.raw());
  }

  @Test
  void http2BodyGrowingOverTheLimitIsCutOff() throws Exception {
    HttpClient client = harness.testVertx.createHttpClient(new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    try {
      HttpClientRequest request = Harness.await(client.request(new RequestOptions().setMethod(HttpMethod.POST)
          .setServer(SocketAddress.inetSocketAddress(harness.httpPort(), "127.0.0.1")).setHost("small.test")
          .setPort(harness.httpPort()).setURI("/h2")));
      CompletableFuture<Object> outcome = new CompletableFuture<>();
      request.response().onComplete(ar -> outcome.complete(ar.succeeded() ? ar.result().statusCode() : ar.cause()));
      request.setChunked(true);
      request.write(Buffer.buffer("c".repeat(60)));
      Harness.waitFor(() -> backend.raw().contains("c".repeat(60)), 10_000);
      request.write(Buffer.buffer("d".repeat(60)));
      Object result = outcome.get(10, TimeUnit.SECONDS);
      assertTrue(result.equals(413) || result instanceof StreamResetException, "got " + result);
      request.end();  // the stream is gone: nothing more reaches the backend
    } finally {
      Harness.await(client.close());
    }
    Harness.waitFor(() -> received("/h2").size() == 1, 10_000);
    assertEquals("", received("/h2").get(0).body());
    assertFalse(backend.raw().contains("d".repeat(60)), backend.raw());
  }

  @Test
  void http2ConnectionsAnnounceAndEnforceTheStreamLimit() throws Exception {
    try (H2FloodClient client = new H2FloodClient(harness.httpPort())) {
      assertTrue(client.settingsReceived.await(10, TimeUnit.SECONDS));
      assertEquals((long) MAX_STREAMS, client.serverSettings.get(H2FloodClient.SETTINGS_MAX_CONCURRENT_STREAMS));
      // streams left open (no END_STREAM): each holds a request at the backend, waiting for its body
      for (int i = 0; i < MAX_STREAMS + 3; i++) {
        client.get(1 + 2 * i, "default.test", "/open/" + i, false);
      }
      client.flush();
      Harness.waitFor(() -> client.resets.size() >= 3, 10_000);
      assertEquals(Map.of(11, H2FloodClient.REFUSED_STREAM, 13, H2FloodClient.REFUSED_STREAM,
          15, H2FloodClient.REFUSED_STREAM), client.resets);
      // (after the edge has sent the open streams on: an h2 request that ended before it was
      // forwarded hits the edge's request.resume() on an ended request, issue 14 item 6)
      Thread.sleep(1000);
      for (int i = 0; i < MAX_STREAMS; i++) {
        client.endStream(1 + 2 * i);
      }
      client.flush();
      Harness.waitFor(() -> client.responses.size() == MAX_STREAMS, 10_000);
    }
    assertEquals(MAX_STREAMS, backend.requests().stream().filter(r -> r.uri().startsWith("/open/")).count());
    for (int i = MAX_STREAMS; i < MAX_STREAMS + 3; i++) {
      assertFalse(backend.raw().contains("/open/" + i + " "), "refused stream " + i + " reached the backend");
    }
  }

  @Test
  void http2RapidResetFloodGetsGoAwayAndReachesTheBackendABoundedNumberOfTimes() throws Exception {
    int streams = 2_000;
    int sent = 0;
    try (H2FloodClient client = new H2FloodClient(harness.httpPort())) {
      assertTrue(client.settingsReceived.await(10, TimeUnit.SECONDS));
      try {
        for (int i = 0; i < streams && client.closed.getCount() > 0; i++) {
          client.get(1 + 2 * i, "default.test", "/flood/" + i, true);
          client.reset(1 + 2 * i, H2FloodClient.CANCEL);
          sent++;
          if (i % 10 == 9) {
            client.flush();
          }
        }
        client.flush();
      } catch (java.net.SocketException closedByTheEdge) {
        // expected once the edge gives up on the connection
      }
      assertTrue(client.awaitClosed(10_000), "the edge kept the flooding connection open after " + sent + " resets");
      assertEquals(H2FloodClient.ENHANCE_YOUR_CALM, client.goAwayError);
    }
    // what reached the backend before the edge hung up: about the allowed resets, far below what was sent
    Thread.sleep(500);
    int reached = backend.raw().split("GET /flood/", -1).length - 1;
    assertTrue(reached <= MAX_RESETS + MAX_STREAMS, reached + " flood requests reached the backend");
  }

  @Test
  void slowFirstRequestHeadIsCutOffOnTheHttpPort() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", harness.httpPort())) {
      assertCutOffWhileDripping(socket, "");
    }
    assertTrue(received("/slow").isEmpty());
  }

  /** An Upgrade header the backend does not take up leaves the connection an ordinary one, still watched. */
  @Test
  void anUpgradeHeaderThatUpgradesNothingKeepsTheDeadline() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", harness.httpPort())) {
      assertCutOffWhileDripping(socket, "GET /first HTTP/1.1\r\nHost: default.test\r\nUpgrade: foo\r\n"
          + "Connection: Upgrade\r\n\r\n");
    }
    assertTrue(received("/slow").isEmpty());
  }

  @Test
  void slowKeepAliveRequestHeadIsCutOffOnTheHttpPort() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", harness.httpPort())) {
      assertCutOffWhileDripping(socket, "GET /first HTTP/1.1\r\nHost: default.test\r\n\r\n");
    }
    assertEquals(1, received("/first").size());
    assertTrue(received("/slow").isEmpty());
  }

  @Test
  void slowRequestHeadsAreCutOffOnTheHttpsPortFirstAndKeptAlive() throws Exception {
    try (Socket socket = TlsClient.connect(harness.httpsPort(), "default.test")) {
      assertCutOffWhileDripping(socket, "");
    }
    try (Socket socket = TlsClient.connect(harness.httpsPort(), "default.test")) {
      assertCutOffWhileDripping(socket, "GET /first HTTP/1.1\r\nHost: default.test\r\n\r\n");
    }
  }

  @Test
  void slowRequestHeadsAreCutOffOnTheAdminAndOpsPorts() throws Exception {
    for (int port : new int[] {harness.portico.config().adminPort(), harness.portico.config().opsPort()}) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        assertCutOffWhileDripping(socket, "");
      }
      try (Socket socket = new Socket("127.0.0.1", port)) {
        assertCutOffWhileDripping(socket, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
      }
    }
  }

  @Test
  void slowBodiesAndIdleKeepAliveConnectionsAreNotHeads() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", harness.httpPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("POST /slow-body HTTP/1.1\r\nHost: default.test\r\nContent-Length: 20\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      for (int i = 0; i < 20; i++) {  // 4 s: twice the head deadline
        out.write('z');
        out.flush();
        Thread.sleep(200);
      }
      assertTrue(readResponse(socket.getInputStream()).startsWith("HTTP/1.1 200 "));
      Thread.sleep(HEAD_TIMEOUT_MS * 2L);  // idle between requests: the idle timeout's business
      out.write("GET /after-idle HTTP/1.1\r\nHost: default.test\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      assertTrue(readResponse(socket.getInputStream()).startsWith("HTTP/1.1 200 "));
    }
    assertEquals("z".repeat(20), received("/slow-body").get(0).body());
    assertEquals(1, received("/after-idle").size());
  }

  /**
   * From a client address of its own (127.0.0.2), so that no connection another test left open
   * (the harness's keep-alive client) shares its count: exactly the cap is served, the rest
   * refused. Which ones are refused depends on the order the edge accepts from its two
   * listeners (io_uring takes a listener's whole backlog at once), so only the numbers count.
   */
  @Test
  void connectionsPerClientAddressAreCappedAcrossTheEdgePorts() throws Exception {
    InetAddress client = InetAddress.getByName("127.0.0.2");
    java.util.List<Socket> sockets = new java.util.ArrayList<>();
    try {
      int attempts = MAX_CONNECTIONS + 5;
      for (int i = 0; i < attempts; i++) {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(),
            i % 2 == 0 ? harness.httpPort() : harness.httpsPort(), client, 0);
        // short: the edge closes a refused connection at once
        socket.setSoTimeout(300);
        sockets.add(socket);
      }
      long refused = 0;
      for (Socket socket : sockets) {
        refused += closedByPeer(socket) ? 1 : 0;
      }
      assertEquals(attempts - MAX_CONNECTIONS, refused, "connections refused of " + attempts);
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
    // the count falls as connections close: the address is served again, up to its cap
    Harness.waitFor(() -> servedFrom(client), 10_000);
  }

  /** Whether a request from {@code client} gets an answer from the backend. */
  private static boolean servedFrom(InetAddress client) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), harness.httpPort(), client, 0)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /again HTTP/1.1\r\nHost: default.test\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      return readAll(socket.getInputStream()).startsWith("HTTP/1.1 200 ");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Whether the edge closed {@code socket} (which sent nothing): a read ends instead of timing out. */
  private static boolean closedByPeer(Socket socket) throws IOException {
    try {
      return socket.getInputStream().read() < 0;
    } catch (java.net.SocketTimeoutException open) {
      return false;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  /**
   * Sends {@code first} (a whole request, whose response is read), then drips {@link #SLOW_HEAD}
   * a byte per 200 ms: the listener must close the connection (after a 408 or without a word)
   * long before the head is complete.
   */
  private static void assertCutOffWhileDripping(Socket socket, String first) throws Exception {
    socket.setSoTimeout(30_000);
    OutputStream out = socket.getOutputStream();
    InputStream in = socket.getInputStream();
    if (!first.isEmpty()) {
      out.write(first.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      readResponse(in);
    }
    CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> {
      try {
        return readAll(in);
      } catch (IOException e) {
        return "";
      }
    });
    int sent = 0;
    try {
      while (sent < SLOW_HEAD.length() && !rest.isDone()) {
        out.write(SLOW_HEAD.charAt(sent++));
        out.flush();
        Thread.sleep(200);
      }
    } catch (java.net.SocketException closed) {
      // the listener closed the connection under the writer
    }
    String answer = rest.get(30, TimeUnit.SECONDS);
    assertTrue(sent < SLOW_HEAD.length(), "the whole slow head was accepted");
    assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 408 "), answer);
  }

  /** Reads one response whose body has a Content-Length. */
  private static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after " + head);
      }
      head.append((char) b);
    }
    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
    byte[] body = in.readNBytes(bodyLength);
    return head + new String(body, StandardCharsets.ISO_8859_1);
  }

  private static java.util.List<RecordingBackend.Received> received(String uri) {
    return backend.requests().stream().filter(request -> request.uri().equals(uri)).toList();
  }

  /** Reads until the peer closes (or 10 s of silence). */
  static String readAll(InputStream in) throws IOException {
    StringBuilder text = new StringBuilder();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) > 0; ) {
        text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
      }
    } catch (java.net.SocketException reset) {
      // a reset after the response: what was read is the answer
    }
    return text.toString();
  }
}
