package dev.portico.launcher;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDK engine (where BoringSSL does not load, or forced) picks certificates per SNI the same
 * way; and a configured fallback certificate (PEM files) is served instead of a generated one.
 */
class JdkTlsEngineTest {

  @Test
  void jdkEngineServesPerSniAndTheConfiguredFallback() throws Exception {
    Path dir = Files.createTempDirectory("portico-fallback");
    var fallbackJson = new io.vertx.core.json.JsonObject(
        TestCertificates.stored(dev.portico.contract.SecretBox.fromSecret(null), "fallback.example"));
    Path cert = Files.writeString(dir.resolve("fallback.crt"), fallbackJson.getString("certificatePem"));
    Path key = Files.writeString(dir.resolve("fallback.key"), fallbackJson.getString("privateKey").substring("plain:".length()));
    try (Harness harness = new Harness(Map.of("PORTICO_TLS_ENGINE", "jdk",
        "PORTICO_FALLBACK_CERT_FILE", cert.toString(), "PORTICO_FALLBACK_KEY_FILE", key.toString()))) {
      harness.putSite("jdk.tls.test", "{\"targets\":[\"127.0.0.1:" + harness.namedBackend("jdk") + "\"],\"tls\":\"manual\"}");
      Harness.await(harness.redisApi.set(List.of("portico:cert:jdk.tls.test", TestCertificates.stored("jdk.tls.test"))));
      assertEquals(List.of("jdk.tls.test"), TlsClient.dnsNames(TlsClient.leaf(harness.httpsPort(), "jdk.tls.test")));
      X509Certificate fallback = TlsClient.leaf(harness.httpsPort(), null);
      assertEquals(List.of("fallback.example"), TlsClient.dnsNames(fallback));
      assertEquals(fallback, TlsClient.leaf(harness.httpsPort(), "unknown.tls.test"));
      try (SSLSocket socket = TlsClient.connect(harness.httpsPort(), "jdk.tls.test")) {
        String response = TlsClient.get(socket, "jdk.tls.test", "/");
        assertTrue(response.startsWith("HTTP/1.1 200") && response.contains("jdk\n"), response);
      }
    }
  }
}
