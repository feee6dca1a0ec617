package dev.portico.launcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin and ops ports speak HTTP/1.1 only: an h2c upgrade is answered over HTTP/1.1, and an
 * HTTP/2 connection preface gets no HTTP/2 frames back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlPortsTest {

  private static final String PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

  private Harness harness;

  @BeforeAll
  void start() throws IOException {
    harness = new Harness(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", "control ports test"));
  }

  @AfterAll
  void stop() {
    harness.close();
  }

  private int port(String name) {
    return name.equals("admin") ? harness.portico.config().adminPort() : harness.portico.config().opsPort();
  }

  @ParameterizedTest
  @ValueSource(strings = {"admin", "ops"})
  void anUpgradeToH2cIsAnsweredOverHttp11(String name) throws Exception {
    String answer = harness.raw(port(name), "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);

    // the JDK's client asks for that upgrade on every new plain-HTTP connection by default
    HttpResponse<String> live = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port(name) + "/health/live")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, live.statusCode());
    assertEquals(HttpClient.Version.HTTP_1_1, live.version());
  }

  @ParameterizedTest
  @ValueSource(strings = {"admin", "ops"})
  void anHttp2PrefaceGetsNoHttp2Answer(String name) throws Exception {
    // the preface, then an empty SETTINGS frame, as a client with prior knowledge starts
    String answer = harness.raw(port(name), PREFACE + "\0\0\0\4\0\0\0\0\0");
    assertFalse(answer.length() >= 9 && answer.charAt(3) == 4, "an HTTP/2 SETTINGS frame came back");
    assertTrue(answer.matches("(?s)HTTP/\\S+ 501 .*"), answer);  // read as an HTTP/1 request of an unknown method
  }
}
