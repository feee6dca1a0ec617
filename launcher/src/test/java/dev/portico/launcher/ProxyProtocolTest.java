package dev.portico.launcher;

import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.portico.launcher.ProxiedClient.header;
import static io.netty.handler.codec.haproxy.HAProxyProtocolVersion.V1;
import static io.netty.handler.codec.haproxy.HAProxyProtocolVersion.V2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PROXY protocol on the edge's listeners, end to end: 127.0.0.1 is the trusted balancer
 * ({@code PORTICO_PROXY_PROTOCOL_FROM}); other loopback addresses are clients connecting
 * directly. The address a header names is the client for address rules, rate limits and
 * {@code X-Forwarded-For}, over HTTP/1.1, HTTPS, HTTP/2 (h2c and TLS with ALPN) and WebSocket.
 */
class ProxyProtocolTest {

  private static final String TRUSTED = "127.0.0.1";
  private static final String DIRECT = "127.0.0.2";
  private static final int HEAD_TIMEOUT_MS = 4000;
  private static Harness harness;
  private static RecordingBackend recording;

  @BeforeAll
  static void start() throws IOException {
    harness = new Harness(Map.of("PORTICO_PROXY_PROTOCOL_FROM", TRUSTED + ", 10.99.0.0/16",
        "PORTICO_REQUEST_HEAD_TIMEOUT_MS", Integer.toString(HEAD_TIMEOUT_MS)));
    int named = harness.namedBackend("named");
    Harness.await(harness.redisApi.set(List.of("portico:cert:pp.test", TestCertificates.stored("pp.test"))));
    harness.putSite("pp.test", new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + named))
        .put("tls", "manual").put("redirectHttps", false)
        .put("ipDeny", new JsonArray().add("203.0.113.66").add("127.0.0.66").add("2001:db8::66")).encode());
    harness.putSite("limited.pp.test", new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + named))
        .put("rateLimit", new JsonObject().put("requests", 2).put("perSeconds", 3600).put("by", "ip")).encode());
    recording = new RecordingBackend(harness.testVertx);
    harness.putSite("recorded.pp.test", recording.port());
    harness.putSite("ws.pp.test", harness.backend(request -> request.toWebSocket().onSuccess(
        socket -> socket.writeTextMessage("xff=" + request.getHeader("X-Forwarded-For")))));
  }

  @AfterAll
  static void stop() {
    recording.close();
    harness.close();
  }

  @Test
  void theHeadersClientIsWhomAddressRulesAndForwardedForSee() throws IOException {
    for (HAProxyProtocolVersion version : List.of(V1, V2)) {
      String allowed = ProxiedClient.get(TRUSTED, harness.httpPort(), header(version, "203.0.113.7"), "pp.test", "/");
      assertTrue(allowed.startsWith("HTTP/1.1 200"), version + ": " + allowed);
      assertTrue(allowed.contains("x-forwarded-for: 203.0.113.7\n"), version + ": " + allowed);
      String denied = ProxiedClient.get(TRUSTED, harness.httpPort(), header(version, "203.0.113.66"), "pp.test", "/");
      assertTrue(denied.startsWith("HTTP/1.1 403"), version + " from a denied client: " + denied);
      String ipv6 = ProxiedClient.get(TRUSTED, harness.httpPort(), header(version, "2001:db8::7"), "pp.test", "/");
      assertTrue(ipv6.startsWith("HTTP/1.1 200") && ipv6.contains("x-forwarded-for: 2001:db8:"), version + ": " + ipv6);
      String deniedIpv6 = ProxiedClient.get(TRUSTED, harness.httpPort(), header(version, "2001:db8::66"), "pp.test", "/");
      assertTrue(deniedIpv6.startsWith("HTTP/1.1 403"), version + " from a denied IPv6 client: " + deniedIpv6);
    }
  }

  /** haproxy in front, as an operator runs it: the client's own address (127.0.0.5, 127.0.0.66) is what the edge sees. */
  @Test
  void haproxySendingV1AndV2NamesTheClientItSaw() throws IOException {
    int v2 = Harness.freePort();
    int v1 = Harness.freePort();
    String edge = "127.0.0.1:" + harness.httpPort();
    try (Haproxy haproxy = new Haproxy("listen v2\n  bind 127.0.0.1:" + v2 + "\n  server edge " + edge + " send-proxy-v2\n"
        + "listen v1\n  bind 127.0.0.1:" + v1 + "\n  server edge " + edge + " send-proxy\n", List.of(v1, v2))) {
      for (int port : List.of(v1, v2)) {
        String seen = ProxiedClient.get("127.0.0.5", port, null, "pp.test", "/");
        assertTrue(seen.startsWith("HTTP/1.1 200") && seen.contains("x-forwarded-for: 127.0.0.5\n"), seen);
        String denied = ProxiedClient.get("127.0.0.66", port, null, "pp.test", "/");
        assertTrue(denied.startsWith("HTTP/1.1 403"), denied);
      }
      for (String http2 : List.of("--http2", "--http2-prior-knowledge")) {  // h2c by Upgrade, and by prior knowledge
        String curl = curl("--interface", "127.0.0.5", http2, "--resolve", "pp.test:" + v2 + ":127.0.0.1",
            "http://pp.test:" + v2 + "/");
        assertTrue(curl.contains("< HTTP/2 200") && curl.contains("x-forwarded-for: 127.0.0.5\n"), http2 + ": " + curl);
      }
    }
  }

  /** Debian's {@code curl}, verbose; returns what it printed. */
  private static String curl(String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of("curl", "-s", "-v", "--max-time", "20"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return output;
  }

  @Test
  void rateLimitsCountTheHeadersClientNotTheBalancer() throws IOException {
    for (int i = 0; i < 2; i++) {
      String response = ProxiedClient.get(TRUSTED, harness.httpPort(), header(V2, "198.51.100.1"), "limited.pp.test", "/");
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
    }
    String over = ProxiedClient.get(TRUSTED, harness.httpPort(), header(V2, "198.51.100.1"), "limited.pp.test", "/");
    assertTrue(over.startsWith("HTTP/1.1 429"), over);
    String other = ProxiedClient.get(TRUSTED, harness.httpPort(), header(V1, "198.51.100.2"), "limited.pp.test", "/");
    assertTrue(other.startsWith("HTTP/1.1 200"), "another client behind the same balancer: " + other);
  }

  @Test
  void aKeptConnectionKeepsItsClient() throws IOException {
    try (Socket socket = ProxiedClient.connect(TRUSTED, harness.httpPort(), header(V2, "203.0.113.9"))) {
      for (int i = 0; i < 3; i++) {
        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: pp.test\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        String response = readResponse(socket.getInputStream());
        assertTrue(response.contains("x-forwarded-for: 203.0.113.9\n"), "request " + i + ": " + response);
      }
    }
  }

  @Test
  void aDirectClientSendingAHeaderIsClosedAndOneWithoutIsServed() throws IOException {
    recording.clear();
    for (HAProxyProtocolVersion version : List.of(V1, V2)) {
      String answer = ProxiedClient.get(DIRECT, harness.httpPort(), header(version, "203.0.113.7"), "recorded.pp.test", "/");
      assertEquals("", answer, version + " header from an untrusted address");
    }
    assertEquals("", recording.raw(), "the backend received nothing");
    String plain = ProxiedClient.get(DIRECT, harness.httpPort(), null, "pp.test", "/");
    assertTrue(plain.startsWith("HTTP/1.1 200") && plain.contains("x-forwarded-for: 127.0.0.2\n"), plain);
  }

  @Test
  void theTrustedBalancerWithoutAHeaderIsClosed() throws IOException {
    recording.clear();
    assertEquals("", ProxiedClient.get(TRUSTED, harness.httpPort(), null, "recorded.pp.test", "/"));
    assertEquals("", recording.raw());
  }

  @Test
  void aHalfSentHeaderOrNoneIsClosedAfterTheHeadTimeout() throws IOException {
    for (String half : List.of("PROXY TCP4 203.0.113.7 192.0", "")) {
      try (Socket socket = ProxiedClient.connect(TRUSTED, harness.httpPort(), half.getBytes(StandardCharsets.US_ASCII))) {
        socket.setSoTimeout(HEAD_TIMEOUT_MS * 10);  // generous: the edge closes long before this read gives up
        assertEquals("", ProxiedClient.readToEnd(socket.getInputStream()), "'" + half + "'");
      }
    }
  }

  @Test
  void httpsAndHttp2CarryTheHeadersClient() throws IOException {
    try (SSLSocket tls = tlsAfterHeader(header(V1, "203.0.113.21"), "http/1.1")) {
      String response = TlsClient.get(tls, "pp.test", "/");
      assertTrue(response.contains("x-forwarded-for: 203.0.113.21\n"), response);
    }
    try (SSLSocket tls = tlsAfterHeader(header(V2, "203.0.113.22"), "h2");
        RawH2Client h2 = new RawH2Client(tls)) {
      RawH2Client.Outcome outcome = h2.get("pp.test", "/", List.of());
      assertTrue(outcome.body().contains("x-forwarded-for: 203.0.113.22\n"), outcome.toString());
    }
    try (RawH2Client h2c = new RawH2Client(ProxiedClient.connect(TRUSTED, harness.httpPort(), header(V2, "203.0.113.23")))) {
      RawH2Client.Outcome outcome = h2c.get("pp.test", "/", List.of());
      assertTrue(outcome.body().contains("x-forwarded-for: 203.0.113.23\n"), outcome.toString());
    }
    try (RawH2Client h2c = new RawH2Client(ProxiedClient.connect(TRUSTED, harness.httpPort(), header(V2, "203.0.113.66")))) {
      assertEquals(403, h2c.get("pp.test", "/", List.of()).status(), "a denied client over h2c");
    }
  }

  @Test
  void aWebSocketCarriesTheHeadersClient() throws IOException {
    try (Socket socket = ProxiedClient.connect(TRUSTED, harness.httpPort(), header(V2, "203.0.113.31"))) {
      socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: ws.pp.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      assertTrue(head.startsWith("HTTP/1.1 101"), head);
      int opcode = in.read();
      int length = in.read();
      assertEquals(0x81, opcode, "a final text frame");
      assertEquals("xff=203.0.113.31", new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }
  }

  private static SSLSocket tlsAfterHeader(byte[] header, String alpn) throws IOException {
    Socket plain = ProxiedClient.connect(TRUSTED, harness.httpsPort(), header);
    SSLSocket tls = (SSLSocket) TlsClient.trustAll().getSocketFactory().createSocket(plain, "pp.test",
        harness.httpsPort(), true);
    SSLParameters parameters = tls.getSSLParameters();
    parameters.setServerNames(List.of(new SNIHostName("pp.test")));
    parameters.setApplicationProtocols(new String[] {alpn});
    tls.setSSLParameters(parameters);
    tls.startHandshake();
    assertEquals(alpn, tls.getApplicationProtocol());
    return tls;
  }

  /** One response with a Content-Length body, read off a kept connection. */
  private static String readResponse(InputStream in) throws IOException {
    String head = readHead(in);
    int length = 0;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed in the response head: " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }
}
