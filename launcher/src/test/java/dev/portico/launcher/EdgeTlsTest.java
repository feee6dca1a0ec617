package dev.portico.launcher;

import dev.portico.contract.SecretBox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTPS listener on real TLS handshakes from 127.0.0.1: which certificate each SNI name
 * gets, how fast a replaced one is served, HTTP/2, 421 for misdirected requests, 308 redirects.
 */
class EdgeTlsTest {

  /**
   * A generous bound for a pushed certificate change, below the TTLs (600 s for a certificate,
   * 10 s for a name without one), so a change seen within it came through the notification.
   */
  private static final long WITHIN_MS = 5_000;
  private static Harness harness;

  @BeforeAll
  static void start() throws IOException {
    harness = new Harness();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static void putCert(String name, String json) {
    Harness.await(harness.redisApi.set(List.of("portico:cert:" + name, json)));
  }

  private static X509Certificate leaf(String serverName) {
    return TlsClient.leaf(harness.httpsPort(), serverName);
  }

  private static X509Certificate fallback() {
    return leaf(null);
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new AssertionError(e);
    }
  }

  private static long commandCalls(String command) {
    String info = Harness.await(harness.redisApi.info(List.of("commandstats"))).toString();
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("cmdstat_" + command + ":calls=")) {
        return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
      }
    }
    return 0;
  }

  @Test
  void eachNameGetsItsCertificateFromRedis() {
    putCert("a.tls.test", TestCertificates.stored("a.tls.test"));
    putCert("b.tls.test", TestCertificates.stored("b.tls.test", "www.b.tls.test"));
    assertEquals(List.of("a.tls.test"), TlsClient.dnsNames(leaf("a.tls.test")));
    assertEquals(List.of("b.tls.test", "www.b.tls.test"), TlsClient.dnsNames(leaf("b.tls.test")));
    assertEquals(List.of("a.tls.test"), TlsClient.dnsNames(leaf("A.TLS.TEST")));
  }

  @Test
  void wildcardCertificateServesASubdomainButNotDeeperOnes() {
    putCert("*.wild.test", TestCertificates.stored("*.wild.test"));
    assertEquals(List.of("*.wild.test"), TlsClient.dnsNames(leaf("shop.wild.test")));
    assertEquals(fallback(), leaf("a.b.wild.test"));
  }

  @Test
  void wildcardCertificateServesItsApexOnlyWhenItNamesIt() {
    X509Certificate fallback = fallback();
    assertEquals(fallback, leaf("apex.test"));
    putCert("*.apex.test", TestCertificates.stored("*.apex.test", "apex.test"));
    Harness.waitFor(() -> TlsClient.dnsNames(leaf("apex.test")).equals(List.of("*.apex.test", "apex.test")), WITHIN_MS);
    assertEquals(List.of("*.apex.test", "apex.test"), TlsClient.dnsNames(leaf("www.apex.test")));
    putCert("*.noapex.test", TestCertificates.stored("*.noapex.test"));
    assertEquals(List.of("*.noapex.test"), TlsClient.dnsNames(leaf("www.noapex.test")));
    assertEquals(fallback, leaf("noapex.test"));
    // the apex's own certificate comes first
    putCert("apex.test", TestCertificates.stored("apex.test"));
    Harness.waitFor(() -> TlsClient.dnsNames(leaf("apex.test")).equals(List.of("apex.test")), WITHIN_MS);
  }

  @Test
  void clientWithoutSniGetsTheSharedFallback() {
    X509Certificate fallback = fallback();
    String stored = Harness.await(harness.redisApi.get("portico:cert-fallback")).toString();
    assertTrue(stored.contains("aesgcm1:"), "stored sealed in Redis");
    String pem = new io.vertx.core.json.JsonObject(stored).getString("certificatePem");
    assertTrue(pem.contains(java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(encoded(fallback))
        .substring(0, 60)), "the stored fallback is the one served");
    assertEquals(fallback, leaf("name-without-cert.test"));
  }

  @Test
  void replacedFallbackIsServedEverywhereWithoutWaitingForATtl() {
    X509Certificate before = fallback();
    assertEquals(before, leaf("nocert.fallback.test"));
    Harness.await(harness.redisApi.set(List.of("portico:cert-fallback", TestCertificates.storedUnder(
        SecretBox.fromSecret(Harness.SECRET_KEY), "portico:cert-fallback", "new-fallback.test"))));
    Harness.waitFor(() -> TlsClient.dnsNames(fallback()).equals(List.of("new-fallback.test")), WITHIN_MS);
    assertEquals(List.of("new-fallback.test"), TlsClient.dnsNames(leaf("nocert.fallback.test")));
  }

  @Test
  void unknownNamesGetTheFallbackAndReachRedisOnce() {
    X509Certificate fallback = fallback();
    assertEquals(fallback, leaf("nobody.unknown.test"));
    long reads = commandCalls("mget") + commandCalls("get");
    for (int i = 0; i < 20; i++) {
      assertEquals(fallback, leaf("nobody.unknown.test"));
    }
    assertEquals(reads, commandCalls("mget") + commandCalls("get"), "repeated handshakes read Redis");
  }

  @Test
  void replacedCertificateIsServedWithoutWaitingForATtlAndOpenConnectionsKeepWorking() throws IOException {
    harness.putSite("renew.tls.test", "{\"targets\":[\"127.0.0.1:" + harness.namedBackend("renew")
        + "\"],\"tls\":\"manual\"}");
    putCert("renew.tls.test", TestCertificates.stored("renew.tls.test"));
    X509Certificate before = leaf("renew.tls.test");
    try (SSLSocket open = TlsClient.connect(harness.httpsPort(), "renew.tls.test")) {
      assertTrue(TlsClient.get(open, "renew.tls.test", "/").startsWith("HTTP/1.1 200"));

      // as redis-cli would: SET, then PUBLISH on the certificate channel
      putCert("renew.tls.test", TestCertificates.stored("renew.tls.test"));
      Harness.await(harness.redisApi.publish("portico:cert-changes", "renew.tls.test"));
      long published = Harness.waitFor(() -> !leaf("renew.tls.test").equals(before), WITHIN_MS);
      X509Certificate second = leaf("renew.tls.test");

      // a plain SET: keyspace notifications carry it
      putCert("renew.tls.test", TestCertificates.stored("renew.tls.test"));
      long keyspace = Harness.waitFor(() -> !leaf("renew.tls.test").equals(second), WITHIN_MS);

      String again = TlsClient.get(open, "renew.tls.test", "/");
      assertTrue(again.startsWith("HTTP/1.1 200") && again.contains("renew\n"), again);
      assertEquals(before, open.getSession().getPeerCertificates()[0]);
      System.out.printf("replaced certificate served after %d ms (SET+PUBLISH), %d ms (SET only)%n", published, keyspace);
    }
  }

  /**
   * A certificate written while the change feed was down (here: without notifications, as after a
   * Redis restart, which forgets them) is served once the feed is back: the lookup turns the
   * notifications on again and tells the edges to drop every parsed certificate.
   */
  @Test
  void certificatesChangedWhileTheChangeFeedWasDownAreServedOnceItIsBack() {
    harness.putSite("missed.tls.test", "{\"targets\":[\"127.0.0.1:" + harness.namedBackend("missed")
        + "\"],\"tls\":\"manual\"}");
    putCert("missed.tls.test", TestCertificates.stored("missed.tls.test"));
    X509Certificate before = leaf("missed.tls.test");
    String flags = notifyKeyspaceEvents();
    Harness.await(harness.redisApi.config(List.of("SET", "notify-keyspace-events", "")));
    try {
      putCert("missed.tls.test", TestCertificates.stored("missed.tls.test"));
      assertEquals(before, leaf("missed.tls.test"), "nothing told the edge");

      Harness.await(harness.redisApi.client(List.of("KILL", "TYPE", "pubsub")));  // the feed drops
      long caughtUp = Harness.waitFor(() -> !leaf("missed.tls.test").equals(before), 10_000);
      assertTrue(notifyKeyspaceEvents().contains("K"), "notifications on again: " + notifyKeyspaceEvents());
      System.out.printf("certificate missed while the feed was down served %d ms after it dropped%n", caughtUp);
    } finally {
      Harness.await(harness.redisApi.config(List.of("SET", "notify-keyspace-events", flags)));
    }
  }

  private static String notifyKeyspaceEvents() {
    var answer = Harness.await(harness.redisApi.config(List.of("GET", "notify-keyspace-events")));
    return (answer.isMap() ? answer.get("notify-keyspace-events") : answer.get(1)).toString();
  }

  @Test
  void newWildcardCertificateReplacesTheFallbackForItsNamesAtOnce() {
    X509Certificate fallback = fallback();
    assertEquals(fallback, leaf("x.later.test"));
    putCert("*.later.test", TestCertificates.stored("*.later.test"));
    Harness.waitFor(() -> TlsClient.dnsNames(leaf("x.later.test")).equals(List.of("*.later.test")), WITHIN_MS);
  }

  @Test
  void unusableCertificatesFallBackWithoutHarm() {
    X509Certificate fallback = fallback();
    putCert("corrupt.tls.test", "{not json");
    assertEquals(fallback, leaf("corrupt.tls.test"));
    putCert("garbage.tls.test", "{\"certificatePem\":\"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\","
        + "\"privateKey\":\"plain:x\"}");
    assertEquals(fallback, leaf("garbage.tls.test"));
    putCert("sealed.tls.test", TestCertificates.stored(SecretBox.fromSecret("another secret"), "sealed.tls.test"));
    assertEquals(fallback, leaf("sealed.tls.test"));
    putCert("fine.tls.test", TestCertificates.stored("fine.tls.test"));
    assertEquals(List.of("fine.tls.test"), TlsClient.dnsNames(leaf("fine.tls.test")));
  }

  @Test
  void http2ThroughAlpnAndMisdirectedRequestsGet421() throws Exception {
    harness.putSite("h2.tls.test", "{\"targets\":[\"127.0.0.1:" + harness.namedBackend("h2") + "\"],\"tls\":\"manual\"}");
    harness.putSite("other.tls.test", "{\"targets\":[\"127.0.0.1:" + harness.namedBackend("other") + "\"],\"tls\":\"manual\"}");
    putCert("h2.tls.test", TestCertificates.stored("h2.tls.test", "other.tls.test"));
    String h2 = curl("--http2", "https://h2.tls.test:" + harness.httpsPort() + "/");
    assertTrue(h2.contains("< HTTP/2 200") && h2.contains("\nh2\n"), h2);
    // SNI h2.tls.test, :authority other.tls.test: what a browser coalescing onto this connection sends
    String misdirected = curl("--http2", "-H", "Host: other.tls.test", "https://h2.tls.test:" + harness.httpsPort() + "/");
    assertTrue(misdirected.contains("< HTTP/2 421"), misdirected);
    assertFalse(misdirected.contains("\nother\n"), misdirected);
  }

  /**
   * HTTP/2 in clear on the HTTP port — with prior knowledge (as gRPC clients and load balancers in
   * front of Portico speak it) or through an {@code Upgrade: h2c} — is routed like HTTP/1.1.
   */
  @Test
  void cleartextHttp2IsRoutedOnTheHttpPort() throws Exception {
    harness.putSite("h2c.test", "{\"targets\":[\"127.0.0.1:" + harness.namedBackend("h2c") + "\"]}");
    String url = "http://h2c.test:" + harness.httpPort() + "/";
    String resolve = "h2c.test:" + harness.httpPort() + ":127.0.0.1";
    String priorKnowledge = curl("--resolve", resolve, "--http2-prior-knowledge", url);
    assertTrue(priorKnowledge.contains("< HTTP/2 200") && priorKnowledge.contains("\nh2c\n"), priorKnowledge);
    String upgraded = curl("--resolve", resolve, "--http2", url);
    assertTrue(upgraded.contains("< HTTP/2 200") && upgraded.contains("\nh2c\n"), upgraded);
  }

  /** Debian's {@code curl}, verbose, resolving every test name to 127.0.0.1. */
  private static String curl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("curl", "-sk", "-v", "--max-time", "10",
        "--resolve", "h2.tls.test:" + harness.httpsPort() + ":127.0.0.1"));
    command.addAll(List.of(args));
    return run(command, "curl");
  }

  @Test
  void http11HostMustMatchTheSniName() throws IOException {
    harness.putSite("one.tls.test", "{\"targets\":[\"127.0.0.1:" + harness.namedBackend("one") + "\"],\"tls\":\"manual\"}");
    harness.putSite("two.tls.test", "{\"targets\":[\"127.0.0.1:" + harness.namedBackend("two") + "\"],\"tls\":\"manual\"}");
    try (SSLSocket socket = TlsClient.connect(harness.httpsPort(), "one.tls.test")) {
      assertTrue(TlsClient.get(socket, "one.tls.test", "/").startsWith("HTTP/1.1 200"));
      String misdirected = TlsClient.get(socket, "two.tls.test", "/");
      assertTrue(misdirected.startsWith("HTTP/1.1 421"), misdirected);
    }
    try (SSLSocket noSni = TlsClient.connect(harness.httpsPort(), null)) {
      assertTrue(TlsClient.get(noSni, "two.tls.test", "/").startsWith("HTTP/1.1 200"), "no SNI: routed by Host");
    }
  }

  @Test
  void tlsSitesRedirectPlainHttpExceptAcmeChallenges() {
    int backend = harness.namedBackend("redirect");
    harness.putSite("secure.tls.test", "{\"targets\":[\"127.0.0.1:" + backend + "\"],\"tls\":\"auto\"}");
    harness.putSite("plain.tls.test", "{\"targets\":[\"127.0.0.1:" + backend + "\"],\"tls\":\"off\"}");
    harness.putSite("optout.tls.test", "{\"targets\":[\"127.0.0.1:" + backend + "\"],\"tls\":\"manual\",\"redirectHttps\":false}");
    HttpResponse<String> redirected = harness.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + harness.httpPort() + "/cart?item=1"))
        .header("Host", "Secure.TLS.test:" + harness.httpPort()).POST(HttpRequest.BodyPublishers.ofString("x")).build());
    assertEquals(308, redirected.statusCode());
    assertEquals("https://secure.tls.test:" + harness.httpsPort() + "/cart?item=1",
        redirected.headers().firstValue("location").orElseThrow());
    assertEquals(200, harness.get("plain.tls.test", "/").statusCode());
    assertEquals(200, harness.get("optout.tls.test", "/").statusCode());
    assertNotEquals(308, harness.get("secure.tls.test", "/.well-known/acme-challenge/token123").statusCode());
  }

  @Test
  void tlsOffSitesAreNotServedOverHttps() throws IOException {
    harness.putSite("cleartext.tls.test", "{\"targets\":[\"127.0.0.1:" + harness.namedBackend("clear") + "\"]}");
    try (SSLSocket socket = TlsClient.connect(harness.httpsPort(), "cleartext.tls.test")) {
      String response = TlsClient.get(socket, "cleartext.tls.test", "/");
      assertTrue(response.startsWith("HTTP/1.1 421"), response);
    }
  }

  @Test
  void onlyTls12And13AreAccepted() throws Exception {
    String tls12 = sClient("-tls1_2");
    assertTrue(tls12.contains("Protocol  : TLSv1.2"), tls12);
    // SECLEVEL=0 lets openssl offer TLS 1.1 at all: the refusal must come from the edge
    String tls11 = sClient("-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0");
    assertTrue(tls11.contains("alert protocol version"), tls11);
  }

  /** Debian's {@code openssl} (package openssl): the JDK client itself refuses TLS 1.1 before asking. */
  private static String sClient(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect",
        "127.0.0.1:" + harness.httpsPort(), "-servername", "a.tls.test"));
    command.addAll(List.of(args));
    return run(command, "openssl");
  }

  private static String run(List<String> command, String debianPackage) throws Exception {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("this test needs the " + command.get(0) + " command (Debian package " + debianPackage + ")", e);
    }
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(15, TimeUnit.SECONDS), command.get(0) + " hung");
    return new String(output);
  }
}
