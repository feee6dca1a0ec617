package dev.portico.launcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.netty.handler.codec.haproxy.HAProxyProtocolVersion.V2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crafted PROXY protocol headers from the trusted balancer's address (127.0.0.1): each malformed,
 * oversized or unsupported one closes the connection before anything reaches a backend; a header
 * within the bounds, however many extensions it carries, is served. The connection cap counts the
 * client a header names, so the balancer's own address is never capped for its clients.
 */
class BadInputProxyProtocolTest {

  private static final String GET = "GET / HTTP/1.1\r\nHost: pp.test\r\nConnection: close\r\n\r\n";
  private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
  private static final int MAX_CONNECTIONS = 3;
  private static Harness harness;
  private static RecordingBackend backend;

  @BeforeAll
  static void start() throws IOException {
    harness = new Harness(Map.of("PORTICO_PROXY_PROTOCOL_FROM", "127.0.0.1",
        "PORTICO_MAX_CONNECTIONS_PER_ADDRESS", Integer.toString(MAX_CONNECTIONS)));
    backend = new RecordingBackend(harness.testVertx);
    harness.putSite("pp.test", backend.port());
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
  void malformedV1HeadersAreClosedUnforwarded() throws IOException {
    for (String header : List.of(
        "PROXY TCP4 999.0.0.1 192.0.2.1 40000 443\r\n",          // not an address
        "PROXY TCP4 203.0.113.7 192.0.2.1 40000 70000\r\n",      // port out of range
        "PROXY TCP5 203.0.113.7 192.0.2.1 40000 443\r\n",        // unknown protocol
        "PROXY TCP4 203.0.113.7 192.0.2.1 40000\r\n",            // a field missing
        "PROXY TCP6 203.0.113.7 192.0.2.1 40000 443\r\n",        // family and address disagree
        "PROXY TCP4 203.0.113.7 192.0.2.1 40000 443\n",          // LF only: no end of line within the limit
        "PROXY TCP4 " + "1".repeat(200) + "\r\n")) {             // longer than v1's 108 bytes
      assertRefused(header.getBytes(StandardCharsets.US_ASCII), header.trim());
    }
  }

  @Test
  void malformedV2HeadersAreClosedUnforwarded() throws IOException {
    byte[] tcp4Addresses = {(byte) 203, 0, 113, 7, (byte) 192, 0, 2, 1, (byte) 0x9c, 0x40, 0x01, (byte) 0xbb};
    assertRefused(v2(0x31, 0x11, tcp4Addresses), "version 3");
    assertRefused(v2(0x23, 0x11, tcp4Addresses), "command 3");
    assertRefused(v2(0x21, 0x12, tcp4Addresses), "UDP over IPv4");
    assertRefused(v2(0x21, 0x31, new byte[108 * 2]), "a UNIX stream");
    assertRefused(v2(0x21, 0x11, new byte[4]), "addresses shorter than IPv4's");
    assertRefused(v2(0x21, 0x51, tcp4Addresses), "an unknown family");
  }

  @Test
  void extensionsPastTheBoundAreClosedWithinItServed() throws IOException {
    byte[] tcp4Addresses = {(byte) 203, 0, 113, 7, (byte) 192, 0, 2, 1, (byte) 0x9c, 0x40, 0x01, (byte) 0xbb};
    int tlvBytes = 2048 + 216 - 12;  // Netty's bound: 216 bytes of address space plus the configured extensions
    assertRefused(v2(0x21, 0x11, concat(tcp4Addresses, emptyTlvs(tlvBytes / 3 + 1))), "an extension flood");
    assertRefused(v2(0x21, 0x11, concat(tcp4Addresses, new byte[65_000])), "a 64 KiB header");
    String served = ProxiedClient.exchange("127.0.0.1", harness.httpPort(),
        v2(0x21, 0x11, concat(tcp4Addresses, emptyTlvs(600))), GET);
    assertTrue(served.startsWith("HTTP/1.1 200"), "600 empty extensions are within the bound: " + served);
    assertEquals(1, backend.requests().size());
  }

  @Test
  void aSecondHeaderIsNoRequest() throws IOException {
    byte[] header = ProxiedClient.header(V2, "203.0.113.7");
    String answer = ProxiedClient.exchange("127.0.0.1", harness.httpPort(), concat(header, header), GET);
    assertTrue(answer.isEmpty() || answer.matches("(?s)HTTP/1.[01] 400 .*"), answer);
    assertEquals("", backend.raw());
  }

  @Test
  void theConnectionCapCountsTheHeadersClient() throws IOException {
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_CONNECTIONS; i++) {
        held.add(open("203.0.113.50"));
      }
      String over = ProxiedClient.exchange("127.0.0.1", harness.httpPort(), ProxiedClient.header(V2, "203.0.113.50"), GET);
      assertEquals("", over, "a client over the cap, behind the balancer");
      String other = ProxiedClient.exchange("127.0.0.1", harness.httpPort(), ProxiedClient.header(V2, "203.0.113.51"), GET);
      assertTrue(other.startsWith("HTTP/1.1 200"), "another client, while the balancer holds more than the cap: " + other);
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  /** A connection whose header was read and that has served one request, kept open. */
  private static Socket open(String client) throws IOException {
    Socket socket = ProxiedClient.connect("127.0.0.1", harness.httpPort(), ProxiedClient.header(V2, client));
    socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: pp.test\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    byte[] start = socket.getInputStream().readNBytes(12);
    assertEquals("HTTP/1.1 200", new String(start, StandardCharsets.ISO_8859_1));
    return socket;
  }

  private static void assertRefused(byte[] header, String what) throws IOException {
    String answer = ProxiedClient.exchange("127.0.0.1", harness.httpPort(), header, GET);
    assertEquals("", answer, what + ": the edge closes without a word");
    assertEquals("", backend.raw(), what + ": the backend received nothing");
  }

  /** A v2 header: signature, version and command, family and protocol, then {@code body} with its length. */
  private static byte[] v2(int versionAndCommand, int familyAndProtocol, byte[] body) {
    ByteBuffer header = ByteBuffer.allocate(16 + body.length);
    header.put(V2_SIGNATURE).put((byte) versionAndCommand).put((byte) familyAndProtocol)
        .putShort((short) body.length).put(body);
    return header.array();
  }

  /** {@code count} extensions of an unassigned type with no value: 3 bytes each. */
  private static byte[] emptyTlvs(int count) {
    byte[] tlvs = new byte[count * 3];
    for (int i = 0; i < count; i++) {
      tlvs[i * 3] = (byte) 0xE5;
    }
    return tlvs;
  }

  private static byte[] concat(byte[] first, byte[] second) {
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.writeBytes(first);
    both.writeBytes(second);
    return both.toByteArray();
  }
}
