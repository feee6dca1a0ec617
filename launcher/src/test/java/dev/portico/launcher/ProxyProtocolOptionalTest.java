package dev.portico.launcher;

import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code PORTICO_PROXY_PROTOCOL_REQUIRED=off}: the balancer may also connect without a header
 * (its health checks), served under its own address, as with a v2 {@code LOCAL} header; and the
 * settings' validation.
 */
class ProxyProtocolOptionalTest {

  private static Harness harness;

  @BeforeAll
  static void start() throws IOException {
    harness = new Harness(Map.of("PORTICO_PROXY_PROTOCOL_FROM", "127.0.0.1/32",
        "PORTICO_PROXY_PROTOCOL_REQUIRED", "off"));
    harness.putSite("opt.pp.test", harness.namedBackend("opt"));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void theBalancerWithoutAHeaderOrWithALocalOneIsServedAsItself() throws IOException {
    String plain = ProxiedClient.get("127.0.0.1", harness.httpPort(), null, "opt.pp.test", "/");
    assertTrue(plain.startsWith("HTTP/1.1 200") && plain.contains("x-forwarded-for: 127.0.0.1\n"), plain);
    byte[] local = ByteBuffer.allocate(16).put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49,
        0x54, 0x0A, 0x20, 0x00, 0x00, 0x00}).array();  // v2 LOCAL, AF_UNSPEC, no addresses
    String health = ProxiedClient.get("127.0.0.1", harness.httpPort(), local, "opt.pp.test", "/");
    assertTrue(health.startsWith("HTTP/1.1 200") && health.contains("x-forwarded-for: 127.0.0.1\n"), health);
    String proxied = ProxiedClient.get("127.0.0.1", harness.httpPort(),
        ProxiedClient.header(HAProxyProtocolVersion.V1, "203.0.113.77"), "opt.pp.test", "/");
    assertTrue(proxied.contains("x-forwarded-for: 203.0.113.77\n"), proxied);
  }

  @Test
  void settingsAreChecked() {
    for (Map<String, String> wrong : java.util.List.of(Map.of("PORTICO_PROXY_PROTOCOL_FROM", "10.0.0.0/33"),
        Map.of("PORTICO_PROXY_PROTOCOL_FROM", "lb.internal"), Map.of("PORTICO_PROXY_PROTOCOL_REQUIRED", "maybe"))) {
      assertThrows(ConfigException.class, () -> PorticoConfig.fromEnvironment(wrong), wrong.toString());
    }
  }
}
