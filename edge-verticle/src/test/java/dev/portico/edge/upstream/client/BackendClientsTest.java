package dev.portico.edge.upstream.client;

import dev.portico.contract.BackendTls;
import dev.portico.contract.SecretBox;
import dev.portico.contract.Target;
import io.vertx.core.Vertx;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.vertx.core.http.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which client a request gets: one per event loop and settings, a client certificate's per site; a changed site gets new ones. */
class BackendClientsTest {

  private static final Target TLS = new Target("a.internal", 443, Target.Protocol.HTTPS);
  private static final Target H2C = new Target("a.internal", 50051, Target.Protocol.H2C);

  private final Vertx vertx = Vertx.vertx();
  private final BackendClients clients = new BackendClients(vertx, SecretBox.fromSecret("k"));

  @AfterEach
  void close() throws Exception {
    clients.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A site's client certificate and key, as a site stores them (the key in the clear is accepted too). */
  private static BackendTls certified() throws Exception {
    SelfSignedCertificate self = new SelfSignedCertificate("client.a.example");
    return new BackendTls(null, null, Files.readString(self.certificate().toPath()),
        Files.readString(self.privateKey().toPath()), true, false);
  }

  private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

  @Test
  void sitesWithTheSameSettingsShareALoopsClientAndOtherSettingsGetTheirOwn() {
    HttpClient first = clients.client("a.example", TLS, BackendTls.DEFAULT);
    assertSame(first, clients.client("a.example", TLS, BackendTls.DEFAULT));
    assertSame(first, clients.client("b.example", TLS, BackendTls.DEFAULT), "another site, the same settings");
    assertSame(first, clients.client("a.example", TLS, new BackendTls(null, "other.internal", null, null, true,
        false)), "the SNI name goes with each request");
    assertNotSame(first, clients.client("a.example", TLS, new BackendTls(null, null, null, null, false, false)),
        "verification off");
    assertNotSame(first, clients.client("a.example", H2C, BackendTls.DEFAULT), "another protocol");
    BackendTls ownCa = new BackendTls(CA, null, null, null, true, false);
    HttpClient withCa = clients.client("a.example", TLS, ownCa);
    assertNotSame(first, withCa, "a CA of its own");
    assertSame(withCa, clients.client("b.example", TLS, ownCa), "the same CA");
  }

  @Test
  void aClientCertificateIsNeverLentToAnotherSite() throws Exception {
    BackendTls certified = certified();
    HttpClient a = clients.client("a.example", TLS, certified);
    assertSame(a, clients.client("a.example", TLS, certified));
    assertNotSame(a, clients.client("b.example", TLS, certified));
  }

  @Test
  void manySitesWithCasOfTheirOwnNeverEvictTheSharedClient() {
    HttpClient shared = clients.client("a.example", TLS, BackendTls.DEFAULT);
    for (int i = 0; i <= BackendClients.MAX_CLIENTS; i++) {
      clients.client("flood" + i + ".example", TLS, new BackendTls(CA.replace("MIIB", "MIIB" + i), null, null, null,
          true, false));
    }
    assertSame(shared, clients.client("b.example", TLS, BackendTls.DEFAULT));
  }

  @Test
  void anotherEventLoopGetsItsOwnClient() throws Exception {
    HttpClient here = clients.client("a.example", H2C, BackendTls.DEFAULT);
    CompletableFuture<HttpClient> there = new CompletableFuture<>();
    vertx.runOnContext(v -> there.complete(clients.client("a.example", H2C, BackendTls.DEFAULT)));
    assertNotSame(here, there.get(10, TimeUnit.SECONDS));
  }

  @Test
  void aChangedSiteGetsNewClientsForItsCertificateAndOthersKeepTheirs() throws Exception {
    BackendTls certified = certified();
    HttpClient a = clients.client("a.example", TLS, certified);
    HttpClient b = clients.client("b.example", TLS, certified);
    HttpClient shared = clients.client("c.example", TLS, BackendTls.DEFAULT);
    clients.siteChanged("a.example");
    assertNotSame(a, clients.client("a.example", TLS, certified));
    assertSame(b, clients.client("b.example", TLS, certified));
    assertSame(shared, clients.client("c.example", TLS, BackendTls.DEFAULT));
    clients.siteChanged(null);
    assertNotSame(b, clients.client("b.example", TLS, certified), "a change of every site");
    assertNotSame(shared, clients.client("c.example", TLS, BackendTls.DEFAULT), "a change of every site");
  }

  @Test
  void aClientKeyThatDoesNotOpenIsRefusedWithoutQuotingIt() {
    BackendTls sealedElsewhere = new BackendTls(null, null, "-----BEGIN CERTIFICATE-----\n",
        SecretBox.fromSecret("another node's key").seal("secret key text", "portico:site:a.example"), true, false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> clients.client("a.example", TLS, sealedElsewhere));
    assertTrue(e.getMessage().contains("PORTICO_SECRET_KEY"), e.getMessage());
    assertEquals(false, e.getMessage().contains("secret key text"));
  }
}
