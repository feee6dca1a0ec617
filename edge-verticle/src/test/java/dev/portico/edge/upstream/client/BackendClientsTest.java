package dev.portico.edge.upstream.client;

import dev.portico.contract.BackendTls;
import dev.portico.contract.SecretBox;
import dev.portico.contract.Target;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which client a request gets: one per event loop, site and settings; a changed site gets new ones. */
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

  @Test
  void oneClientPerSiteAndSettingsOnAThread() {
    HttpClient first = clients.client("a.example", TLS, BackendTls.DEFAULT);
    assertSame(first, clients.client("a.example", TLS, BackendTls.DEFAULT));
    assertNotSame(first, clients.client("b.example", TLS, BackendTls.DEFAULT), "another site has its own");
    assertNotSame(first, clients.client("a.example", TLS, new BackendTls(null, "other.internal", null, null, true,
        false)), "other settings");
    assertNotSame(first, clients.client("a.example", H2C, BackendTls.DEFAULT), "another protocol");
  }

  @Test
  void anotherEventLoopGetsItsOwnClient() throws Exception {
    HttpClient here = clients.client("a.example", H2C, BackendTls.DEFAULT);
    CompletableFuture<HttpClient> there = new CompletableFuture<>();
    vertx.runOnContext(v -> there.complete(clients.client("a.example", H2C, BackendTls.DEFAULT)));
    assertNotSame(here, there.get(10, TimeUnit.SECONDS));
  }

  @Test
  void aChangedSiteGetsNewClientsAndOthersKeepTheirs() {
    HttpClient a = clients.client("a.example", TLS, BackendTls.DEFAULT);
    HttpClient b = clients.client("b.example", TLS, BackendTls.DEFAULT);
    clients.siteChanged("a.example");
    assertNotSame(a, clients.client("a.example", TLS, BackendTls.DEFAULT));
    assertSame(b, clients.client("b.example", TLS, BackendTls.DEFAULT));
    clients.siteChanged(null);
    assertNotSame(b, clients.client("b.example", TLS, BackendTls.DEFAULT), "a change of every site");
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
