package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Request paths as an attacker writes them: a site's policies are decided on the normalised path,
 * and that path — not the client's spelling — is what the backend receives. On the HTTP port only
 * a real ACME challenge path escapes an HTTPS-only site's redirect, and it never reaches a backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputPathTest {

  private static final String SECRET = "an hs256 secret of at least 32 chars!";
  private static final String TOKEN = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";
  private static final String JWT_SITE = "paths.test";
  private static final String TLS_SITE = "secure.paths.test";

  private Harness harness;
  private RecordingBackend backend;
  private String valid;

  @BeforeAll
  void start() throws Exception {
    harness = new Harness(java.util.Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", "path test password"));
    backend = new RecordingBackend(harness.testVertx);
    String target = "127.0.0.1:" + backend.port();
    harness.putSite(JWT_SITE, new JsonObject().put("targets", new JsonArray().add(target))
        .put("jwt", new JsonObject().put("pathPrefixes", new JsonArray().add("/api/"))
            .put("keys", new JsonArray().add(new JsonObject().put("alg", "HS256").put("secret", SECRET))))
        .encode());
    harness.putSite(TLS_SITE, new JsonObject().put("targets", new JsonArray().add(target)).put("tls", "manual").encode());
    Harness.await(harness.redisApi.set(List.of("portico:acme-http01:" + TOKEN, TOKEN + ".thumbprint", "PX", "600000")));
    valid = JWTAuth.create(harness.testVertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm("HS256").setBuffer(SECRET))).generateToken(new JsonObject().put("sub", "alice"),
        new JWTOptions().setExpiresInSeconds(600));
    Harness.waitFor(() -> send(JWT_SITE, "GET", "/public", "").startsWith("HTTP/1.1 200"), 5_000);
    Harness.waitFor(() -> send(TLS_SITE, "GET", "/", "").startsWith("HTTP/1.1 308"), 5_000);
  }

  @AfterAll
  void stop() {
    backend.close();
    harness.close();
  }

  @BeforeEach
  void clear() {
    backend.clear();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"//api/x", "/%61pi/x", "/%61%50%49/x", "/API/x", "/Api/x", "/api;/x", "/api;jsessionid=1/x",
      "/api%3B/x", "/;x/api/x", "/./api/x", "/%2e/api/x", "/%2E%2e/api/x", "/z/../api/x", "/z/%2e%2e/api/x",
      "/z/.%2E/api/x", "/z/..;/api/x", "/z/.;x/../api/x", "/api./x", "/api%20/x", "/api%2e/x", "/api%2fx",
      "/api%2Fx", "/api%5cx", "/api\\x", "/z%2f..%2fapi/x", "/api/%00/x", "/%25%32%66api/x/../../api/x",
      "/%c0%afapi/x", "/z/.../api/x", "/..", "/../api/x", "/api%zz/x", "/api%2/x",
      "http://paths.test//api/x", "http://paths.test/%61pi/x"})
  void pathSpellingsDoNotSkipTheJwtPolicy(String target) {
    String response = send(JWT_SITE, "GET", target, "");
    assertTrue(response.startsWith("HTTP/1.1 401") || response.startsWith("HTTP/1.1 400"), target + " -> " + response);
    assertEquals(List.of(), backend.requests(), target);
    assertEquals("", backend.raw(), target);
  }

  @Test
  void theBackendReceivesThePathThePolicyWasDecidedOn() {
    String bearer = "Authorization: Bearer " + valid + "\r\n";
    List<String[]> cases = List.of(
        new String[] {"/api/x", "/api/x"},
        new String[] {"/%61pi/x?q=%2e%2E/../&r=%61", "/api/x?q=%2e%2E/../&r=%61"},
        new String[] {"//api//x/", "/api/x/"},
        new String[] {"/z/../API/./x", "/API/x"},
        new String[] {"/api/%c3%a9t%C3%A9%7e", "/api/%C3%A9t%C3%A9~"},
        new String[] {"/api/a|b", "/api/a%7Cb"},
        new String[] {"/api/%252f", "/api/%252f"},
        new String[] {"http://paths.test/api/./x?y", "/api/x?y"});
    for (String[] pair : cases) {
      backend.clear();
      String response = send(JWT_SITE, "GET", pair[0], bearer);
      assertTrue(response.startsWith("HTTP/1.1 200"), pair[0] + " -> " + response);
      assertEquals(1, backend.requests().size(), pair[0]);
      assertEquals(pair[1], backend.requests().get(0).uri(), pair[0]);
      assertTrue(backend.raw().startsWith("GET " + pair[1] + " HTTP/1.1\r\n"), backend.raw());
    }
    backend.clear();
    String open = send(JWT_SITE, "GET", "/public/./a/../b//c?x=/../", "");
    assertTrue(open.startsWith("HTTP/1.1 200"), open);
    assertEquals("/public/b/c?x=/../", backend.requests().get(0).uri());
  }

  @Test
  void aChallengePathWalkingOutOfTheChallengeFolderIsRedirectedNotProxied() {
    for (String method : List.of("POST", "GET", "PUT")) {
      for (String target : List.of("/.well-known/acme-challenge/../../private",
          "/.well-known/acme-challenge/%2e%2e/%2E%2E/private", "/.well-known/acme-challenge/x/../../../private")) {
        String response = send(TLS_SITE, method, target, "");
        assertTrue(response.startsWith("HTTP/1.1 308"), method + " " + target + " -> " + response);
        assertTrue(response.contains("\r\nlocation: https://" + TLS_SITE + ":" + harness.httpsPort() + "/private\r\n")
            || response.contains("\r\nLocation: https://" + TLS_SITE + ":" + harness.httpsPort() + "/private\r\n"),
            response);
      }
    }
    assertEquals(List.of(), backend.requests());
    assertEquals("", backend.raw());
  }

  @Test
  void aRealChallengePathIsAnsweredFromTheStoreOnly() {
    for (String site : List.of(TLS_SITE, JWT_SITE)) {
      for (String target : List.of("/.well-known/acme-challenge/" + TOKEN, "/.well-known/./acme-challenge/" + TOKEN,
          "//.well-known/acme-challenge//" + TOKEN, "/x/../.well-known/acme-challenge/" + TOKEN + "?a=b")) {
        String response = send(site, "GET", target, "");
        assertTrue(response.startsWith("HTTP/1.1 200") && response.endsWith("\r\n\r\n" + TOKEN + ".thumbprint"),
            site + target + " -> " + response);
      }
      assertTrue(send(site, "HEAD", "/.well-known/acme-challenge/" + TOKEN, "").startsWith("HTTP/1.1 200"));
      for (String target : List.of("/.well-known/acme-challenge/unknownToken", "/.well-known/acme-challenge/a.b",
          "/.well-known/acme-challenge/a/b", "/.well-known/acme-challenge/")) {
        String response = send(site, "GET", target, "");
        assertTrue(response.startsWith("HTTP/1.1 404"), site + target + " -> " + response);
      }
      for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS")) {
        String response = send(site, method, "/.well-known/acme-challenge/" + TOKEN, "Content-Length: 0\r\n");
        assertTrue(response.startsWith("HTTP/1.1 405") && response.toLowerCase().contains("\r\nallow: get, head\r\n"),
            site + " " + method + " -> " + response);
      }
    }
    assertEquals(List.of(), backend.requests());
    assertEquals("", backend.raw());
  }

  /** The admin API's own router: no spelling of a guarded path reaches it without a token. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/api/v1/sites", "//api/v1/sites", "/api//v1/sites", "/./api/v1/sites", "/x/../api/v1/sites",
      "/%61pi/v1/sites", "/API/v1/sites", "/api;/v1/sites", "/api/v1/sites;x", "/api/v1/sites/", "/api/v1/./sites",
      "/api/v1/x/../sites", "/api/v1/auth/login/../../sites", "/api/v1/openapi.json/../sites", "/health/live/../../api/v1/sites",
      "/api/v1/%73ites", "/api%2fv1/sites", "/api/v1/users", "/api/v1/users/admin/../../users"})
  void adminApiPathSpellingsStillNeedAToken(String target) {
    String response = send(harness.portico.config().adminPort(), "localhost", "GET", target, "");
    assertTrue(response.startsWith("HTTP/1.1 401") || response.startsWith("HTTP/1.1 404")
        || response.startsWith("HTTP/1.1 400"), target + " -> " + response);
  }

  /** HTTP/2 in clear with prior knowledge: the same path rules, through curl (the JDK client cannot do it). */
  @Test
  void http2PathsAreNormalisedToo() throws Exception {
    for (String target : List.of("//api/x", "/%61pi/x", "/API/x", "/api;/x", "/z/../api/x", "/api%2fx")) {
      String response = curlH2(JWT_SITE, target);
      assertTrue(response.contains("< HTTP/2 401") || response.contains("< HTTP/2 400"), target + " -> " + response);
    }
    assertEquals(List.of(), backend.requests());
    String escape = curlH2(TLS_SITE, "/.well-known/acme-challenge/../../private", "-X", "POST");
    assertTrue(escape.contains("< HTTP/2 308") && escape.contains("< location: https://" + TLS_SITE + ":"
        + harness.httpsPort() + "/private"), escape);
    String challenge = curlH2(TLS_SITE, "/.well-known/./acme-challenge/" + TOKEN);
    assertTrue(challenge.contains("< HTTP/2 200") && challenge.contains(TOKEN + ".thumbprint"), challenge);
    assertEquals(List.of(), backend.requests());
    String ok = curlH2(JWT_SITE, "/z/../%61pi//x?q=%2e", "-H", "Authorization: Bearer " + valid);
    assertTrue(ok.contains("< HTTP/2 200"), ok);
    assertEquals(1, backend.requests().size());
    assertEquals("/api/x?q=%2e", backend.requests().get(0).uri());
  }

  private String curlH2(String host, String target, String... extra) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-s", "-v", "--max-time", "10", "--http2-prior-knowledge",
        "--path-as-is", "--resolve", host + ":" + harness.httpPort() + ":127.0.0.1"));
    command.addAll(List.of(extra));
    command.add("http://" + host + ":" + harness.httpPort() + target);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(15, TimeUnit.SECONDS), "curl hung");
    return new String(output, StandardCharsets.ISO_8859_1);
  }

  /**
   * One HTTP/1.1 request written byte for byte (the target exactly as given), read until the
   * edge closes the connection.
   */
  private String send(String host, String method, String target, String extraHeaders) {
    return send(harness.httpPort(), host, method, target, extraHeaders);
  }

  private static String send(int port, String host, String method, String target, String extraHeaders) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write((method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n" + extraHeaders
          + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new AssertionError(method + " " + target, e);
    }
  }
}
