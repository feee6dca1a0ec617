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

  private static Harness harness;
  private static RecordingBackend backend;

  @BeforeAll
  static void start() throws IOException {
    harness = new Harness(Map.of("PORTICO_MAX_BODY_BYTES", Integer.toString(NODE_MAX_BODY),
        "PORTICO_HTTP2_MAX_CONCURRENT_STREAMS", Integer.toString(MAX_STREAMS),
        "PORTICO_HTTP2_MAX_RESETS", Integer.toString(MAX_RESETS)));
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
    assertTrue(sent < streams, "all " + streams + " streams were accepted");
    // what reached the backend before the edge hung up: about the allowed resets, far below what was sent
    Thread.sleep(500);
    int reached = backend.raw().split("GET /flood/", -1).length - 1;
    assertTrue(reached <= MAX_RESETS + MAX_STREAMS, reached + " flood requests reached the backend");
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
