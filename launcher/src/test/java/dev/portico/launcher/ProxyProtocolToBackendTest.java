package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.portico.launcher.ProxiedClient.header;
import static io.netty.handler.codec.haproxy.HAProxyProtocolVersion.V2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A site with {@code "proxyProtocol": "v1" | "v2"}: each backend connection opens with a header
 * naming the client, read by backends that expect one (Vert.x's reader behind a byte tap, and
 * haproxy's {@code accept-proxy}); a connection serves one client connection only.
 */
class ProxyProtocolToBackendTest {

  private static Harness harness;
  private static RecordingBackend v1Backend;
  private static RecordingBackend v2Backend;

  @BeforeAll
  static void start() throws IOException {
    harness = new Harness(Map.of("PORTICO_PROXY_PROTOCOL_FROM", "127.0.0.1"));
    v1Backend = new RecordingBackend(harness.testVertx, true);
    v2Backend = new RecordingBackend(harness.testVertx, true);
    harness.putSite("v1.out.test", site(v1Backend.port(), "v1"));
    harness.putSite("v2.out.test", site(v2Backend.port(), "v2"));
  }

  @AfterAll
  static void stop() {
    v1Backend.close();
    v2Backend.close();
    harness.close();
  }

  @BeforeEach
  void clear() {
    v1Backend.clear();
    v2Backend.clear();
  }

  @Test
  void theBackendReadsTheClientFromAV1Header() throws IOException {
    String response = ProxiedClient.get("127.0.0.1", harness.httpPort(), header(V2, "203.0.113.7"), "v1.out.test", "/a");
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
    assertTrue(v1Backend.raw().startsWith("PROXY TCP4 203.0.113.7 192.0.2.1 40000 443\r\nGET /a HTTP/1.1\r\n"),
        "the header names the client and the address it reached, as the balancer's header did: " + v1Backend.raw());
    assertEquals("203.0.113.7", v1Backend.requests().get(0).client());
  }

  @Test
  void theBackendReadsTheClientFromAV2Header() throws IOException {
    String response = ProxiedClient.get("127.0.0.2", harness.httpPort(), null, "v2.out.test", "/b");
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
    byte[] raw = v2Backend.raw().getBytes(StandardCharsets.ISO_8859_1);
    assertTrue(v2Backend.raw().startsWith("\r\n\r\n\0\r\nQUIT\n"), "a v2 signature first");
    assertEquals(0x21, raw[12], "version 2, PROXY");
    assertEquals(0x11, raw[13], "TCP over IPv4");
    assertEquals(List.of(127, 0, 0, 2), List.of(raw[16] & 0xff, raw[17] & 0xff, raw[18] & 0xff, raw[19] & 0xff));
    assertEquals("127.0.0.2", v2Backend.requests().get(0).client(), "a client without a balancer: its own address");
  }

  @Test
  void aBackendConnectionServesOneClientConnectionOnly() throws IOException {
    try (Socket first = ProxiedClient.connect("127.0.0.1", harness.httpPort(), header(V2, "203.0.113.11"));
        Socket second = ProxiedClient.connect("127.0.0.1", harness.httpPort(), header(V2, "203.0.113.12"))) {
      for (int i = 0; i < 3; i++) {
        assertTrue(get(first).startsWith("HTTP/1.1 200"));
        assertTrue(get(second).startsWith("HTTP/1.1 200"));
      }
    }
    List<String> clients = v1Backend.requests().stream().map(RecordingBackend.Received::client).toList();
    assertEquals(List.of("203.0.113.11", "203.0.113.12", "203.0.113.11", "203.0.113.12", "203.0.113.11",
        "203.0.113.12"), clients, "each request under its own client's address");
    assertEquals(2, v1Backend.raw().split("PROXY TCP4 ", -1).length - 1,
        "one backend connection per client connection, reused for its next requests: " + v1Backend.raw());
  }

  /** Upgrades travel on Vert.x's client, which cannot send the header: refused rather than sent under the edge's address. */
  @Test
  void aWebSocketUpgradeToAProxyProtocolSiteIsRefused() throws IOException {
    try (Socket socket = ProxiedClient.connect("127.0.0.1", harness.httpPort(), header(V2, "203.0.113.7"))) {
      socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: v2.out.test\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      assertEquals("HTTP/1.1 502", new String(socket.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1));
    }
    assertEquals("", v2Backend.raw(), "nothing reached the backend");
  }

  @Test
  void haproxyAcceptsTheEdgesHeader() throws IOException {
    int named = harness.namedBackend("behind-haproxy");
    int port = Harness.freePort();
    try (Haproxy haproxy = new Haproxy("listen in\n  mode http\n  bind 127.0.0.1:" + port + " accept-proxy\n"
        + "  option forwardfor header X-Haproxy-Client\n  server app 127.0.0.1:" + named + "\n", List.of())) {
      harness.putSite("haproxy.out.test", site(port, "v2"));
      Harness.waitFor(() -> answer("haproxy.out.test").startsWith("HTTP/1.1 200"), 20_000);
      String response = answer("haproxy.out.test");
      assertTrue(response.contains("x-haproxy-client: 203.0.113.40\n"), response);
    }
  }

  private static String answer(String host) {
    try {
      return ProxiedClient.get("127.0.0.1", harness.httpPort(), header(V2, "203.0.113.40"), host, "/");
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static String site(int port, String proxyProtocol) {
    return new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + port))
        .put("proxyProtocol", proxyProtocol).encode();
  }

  /** A GET on a kept connection to the v1 site; returns the status line. */
  private static String get(Socket socket) throws IOException {
    socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: v1.out.test\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed in the response head: " + head);
      }
      head.append((char) b);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    in.readNBytes(length);
    return head.toString();
  }
}
