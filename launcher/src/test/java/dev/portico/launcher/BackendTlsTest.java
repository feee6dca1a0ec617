package dev.portico.launcher;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code https://} targets end to end: real TLS backends with certificates this test makes, and
 * each outcome as a user sees it — the backend's answer, or a 502 with a log line saying why.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendTlsTest {

  private static final String PASSWORD = "backend tls test password";
  private static final String NAME = "backend.internal";

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final TestCa ca = TestCa.create("Backend CA");
  private final TestCa otherCa = TestCa.create("Unknown CA");
  private final TestCa clientCa = TestCa.create("Client CA");
  private Harness harness;
  private AdminClient admin;
  private String token;

  @BeforeAll
  void start() throws Exception {
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    harness = new Harness(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", PASSWORD));
    admin = new AdminClient(harness.portico.config().adminPort());
    token = admin.login("admin", PASSWORD);
  }

  @AfterAll
  void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    harness.close();
  }

  @Test
  void aBackendWithAValidCertificateAnswersAndSeesTheNameAsSni() {
    int port = tlsBackend(ca.issue(NAME), false, false);
    site("valid.example.net", port, tls(ca.pem()));
    HttpResponse<String> response = harness.get("valid.example.net", "/hello");
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("sni=" + NAME + " version=HTTP_1_1 client=none host=valid.example.net path=/hello", response.body());
  }

  @Test
  void http2IsOfferedByAlpnWhenTheSiteAsks() {
    int port = tlsBackend(ca.issue(NAME), false, true);
    site("h2tls.example.net", port, tls(ca.pem()).put("http2", true));
    HttpResponse<String> response = harness.get("h2tls.example.net", "/");
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.body().contains("version=HTTP_2"), response.body());
  }

  @Test
  void aCertificateForAnotherNameIsRefused() {
    int port = tlsBackend(ca.issue("someone-else.internal"), false, false);
    site("wrongname.example.net", port, tls(ca.pem()));
    refused("wrongname.example.net", port, "TLS handshake failed: No subject alternative DNS name matching " + NAME);
  }

  @Test
  void anExpiredCertificateIsRefused() {
    Instant now = Instant.now();
    int port = tlsBackend(ca.issue(NAME, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))), false, false);
    site("expired.example.net", port, tls(ca.pem()));
    refused("expired.example.net", port, "TLS handshake failed: the backend's certificate has expired");
  }

  @Test
  void aCertificateOfAnUnknownCaIsRefusedUnlessVerificationIsTurnedOff() {
    int port = tlsBackend(otherCa.issue(NAME), false, false);
    site("unknownca.example.net", port, tls(ca.pem()));
    refused("unknownca.example.net", port, "TLS handshake failed: unable to find valid certification path");
    site("jdktrust.example.net", port, new JsonObject().put("serverName", NAME));
    refused("jdktrust.example.net", port, "TLS handshake failed: unable to find valid certification path");

    site("noverify.example.net", port, new JsonObject().put("verify", false));
    assertEquals(200, harness.get("noverify.example.net", "/").statusCode());
    JsonObject shown = admin.get("/api/v1/sites/noverify.example.net", token).json().getJsonObject("site");
    assertEquals(false, shown.getJsonObject("backendTls").getValue("verify"), "turning verification off shows");
  }

  @Test
  void aBackendThatRequiresAClientCertificateGetsTheSitesSealedOne() {
    int port = tlsBackend(ca.issue(NAME), true, false);
    site("nocert.example.net", port, tls(ca.pem()));
    refused("nocert.example.net", port, "TLS handshake failed: Received fatal alert: bad_certificate");

    TestCa.Issued client = clientCa.issue("edge.client");
    site("mtls.example.net", port, tls(ca.pem()).put("clientCertPem", client.certPem())
        .put("clientKeyPem", client.keyPem()));
    HttpResponse<String> response = harness.get("mtls.example.net", "/");
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.body().contains("client=CN=edge.client"), response.body());

    String stored = Harness.await(harness.redisApi.get("portico:site:mtls.example.net")).toString();
    assertFalse(stored.contains("PRIVATE KEY"), "the key is sealed in Redis");
    JsonObject shown = admin.get("/api/v1/sites/mtls.example.net", token).json().getJsonObject("site");
    assertEquals("(hidden)", shown.getJsonObject("backendTls").getString("clientKeyPem"));
    // written back as read, the stored key is kept and still works
    AdminClient.Answer rewritten = admin.put("/api/v1/sites/mtls.example.net", token, shown.put("readTimeoutMs", 20_000));
    assertEquals(200, rewritten.status(), rewritten.body());
    Harness.waitFor(() -> harness.get("mtls.example.net", "/").statusCode() == 200, 5_000);
    assertEquals(200, harness.get("mtls.example.net", "/").statusCode());
  }

  @Test
  void badBackendTlsSettingsAreRefusedByTheApi() {
    JsonObject site = new JsonObject().put("targets", new JsonArray().add("https://127.0.0.1:9"));
    assertEquals(400, admin.put("/api/v1/sites/bad.example.net", token,
        site.copy().put("backendTls", new JsonObject().put("caPem", "not a certificate"))).status());
    assertEquals(400, admin.put("/api/v1/sites/bad.example.net", token,
        site.copy().put("backendTls", new JsonObject().put("clientCertPem", ca.pem()))).status());
    assertEquals(400, admin.put("/api/v1/sites/bad.example.net", token,
        site.copy().put("backendTls", new JsonObject().put("verify", false).put("caPem", ca.pem()))).status());
    assertEquals(400, admin.put("/api/v1/sites/bad.example.net", token,
        site.copy().put("targets", new JsonArray().add("ftp://127.0.0.1:21"))).status());
    TestCa.Issued client = clientCa.issue("edge.client");
    // a key in a stored form is not taken from the API (it would skip the PEM check, or replay another value)
    assertEquals(400, admin.put("/api/v1/sites/bad.example.net", token, site.copy().put("backendTls",
        new JsonObject().put("clientCertPem", client.certPem()).put("clientKeyPem", "plain:" + client.keyPem()))).status());
    // "(hidden)" keeps a stored key: a new site has none
    AdminClient.Answer hidden = admin.put("/api/v1/sites/bad.example.net", token, site.copy().put("backendTls",
        new JsonObject().put("clientCertPem", client.certPem()).put("clientKeyPem", "(hidden)")));
    assertEquals(400, hidden.status(), hidden.body());
    assertTrue(hidden.body().contains("no stored client key"), hidden.body());
  }

  /** A 502 for the user, and a log line naming the target and (in part) why. */
  private void refused(String host, int port, String why) {
    HttpResponse<String> response = harness.get(host, "/");
    assertEquals(502, response.statusCode(), response.body());
    assertTrue(response.body().contains("backend unavailable"), response.body());
    String target = "https://127.0.0.1:" + port;
    Harness.waitFor(() -> logLine(target, why) != null, 5_000);
    String line = logLine(target, why);
    assertTrue(line != null, "a log line names " + target + " and says " + why + ": " + lines());
  }

  private String logLine(String target, String why) {
    for (String line : lines()) {
      if (line.startsWith("502") && line.contains("backend " + target + " failed: " + why)) {
        return line;
      }
    }
    return null;
  }

  private List<String> lines() {
    synchronized (logs) {
      return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  private static JsonObject tls(String caPem) {
    return new JsonObject().put("caPem", caPem).put("serverName", NAME);
  }

  private void site(String pattern, int port, JsonObject backendTls) {
    JsonObject site = new JsonObject().put("targets", new JsonArray().add("https://127.0.0.1:" + port))
        .put("backendTls", backendTls);
    AdminClient.Answer answer = admin.put("/api/v1/sites/" + pattern, token, site);
    assertTrue(answer.status() == 200 || answer.status() == 201, answer.body());
    Harness.waitFor(() -> harness.get(pattern, "/").statusCode() != 404, 5_000);
  }

  /** A TLS backend answering with what it saw: the SNI name, the HTTP version, the client certificate, Host and path. */
  private int tlsBackend(TestCa.Issued certificate, boolean requireClientCert, boolean http2) {
    HttpServerOptions options = new HttpServerOptions().setSsl(true).setSni(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(certificate.certPem()))
            .setKeyValue(Buffer.buffer(certificate.keyPem())));
    if (http2) {
      options.setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
    }
    if (requireClientCert) {
      options.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PemTrustOptions()
          .addCertValue(Buffer.buffer(clientCa.pem())));
    }
    HttpServer server = Harness.await(harness.testVertx.createHttpServer(options).requestHandler(request -> {
      String client;
      try {
        client = request.connection().peerCertificates().isEmpty() ? "none"
            : ((java.security.cert.X509Certificate) request.connection().peerCertificates().get(0))
                .getSubjectX500Principal().getName();
      } catch (Exception none) {
        client = "none";
      }
      request.response().end("sni=" + request.connection().indicatedServerName() + " version=" + request.version()
          + " client=" + client + " host=" + request.authority().host() + " path=" + request.path());
    }).listen(0, "127.0.0.1"));
    return server.actualPort();
  }
}
