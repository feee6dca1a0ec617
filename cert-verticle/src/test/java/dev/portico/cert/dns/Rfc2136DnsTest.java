package dev.portico.cert.dns;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** RFC 2136 updates with TSIG against a real BIND 9. */
class Rfc2136DnsTest {

  private static final String ZONE = "rfc2136.test";
  private static final String NAME = "_acme-challenge.rfc2136.test";

  private static Bind bind;
  private static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    bind = new Bind(ZONE);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    bind.close();
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  private static String refusal(Future<?> future) throws Exception {
    try {
      await(future);
    } catch (DnsProviderException e) {
      return e.getMessage();
    }
    return fail("expected a DnsProviderException");
  }

  @Test
  void addsValuesBesideEachOtherAndRemovesExactlyOne() throws Exception {
    DnsProvider provider = new Rfc2136Dns(vertx, bind.credentials());
    TxtRecord wildcard = await(provider.addTxt(ZONE, NAME, "wildcard-value"));
    TxtRecord apex = await(provider.addTxt(ZONE, NAME, "apex-value"));
    assertEquals(Set.of("wildcard-value", "apex-value"), Set.copyOf(bind.txt(NAME)));
    await(provider.removeTxt(wildcard));
    assertEquals(List.of("apex-value"), bind.txt(NAME));
    await(provider.removeTxt(wildcard));
    assertEquals(List.of("apex-value"), bind.txt(NAME), "removing a value that is gone changes nothing");
    await(provider.removeTxt(apex));
    assertEquals(List.of(), bind.txt(NAME));
  }

  @Test
  void aWrongSecretIsRefusedWithTheTsigErrorAndNoSecret() throws Exception {
    String wrong = "d3JvbmctdHNpZy1rZXktc2VjcmV0LXZhbHVlLTEyMzQ=";
    String refused = refusal(new Rfc2136Dns(vertx, bind.credentials().put("keySecret", wrong))
        .addTxt(ZONE, NAME, "v"));
    assertTrue(refused.startsWith("rfc2136: adding the TXT record " + NAME + " refused by " + bind.address()
        + ": NOTAUTH BADSIG"), refused);
    assertFalse(refused.contains(wrong), refused);
    assertEquals(List.of(), bind.txt(NAME));
  }

  @Test
  void anUnknownKeyOrZoneIsRefused() throws Exception {
    String unknownKey = refusal(new Rfc2136Dns(vertx, bind.credentials().put("keyName", "someone-else."))
        .addTxt(ZONE, NAME, "v"));
    assertTrue(unknownKey.contains("NOTAUTH BADKEY"), unknownKey);
    String otherZone = refusal(new Rfc2136Dns(vertx, bind.credentials())
        .addTxt("elsewhere.test", "_acme-challenge.elsewhere.test", "v"));
    assertTrue(otherZone.contains("refused by " + bind.address() + ": NOTAUTH")
        || otherZone.contains("REFUSED"), otherZone);
  }

  @Test
  void badCredentialsFailTheCallsNotTheConstruction() throws Exception {
    for (JsonObject bad : List.of(bind.credentials().put("keyAlgorithm", "rot13"),
        bind.credentials().put("keySecret", "not base64!"), bind.credentials().put("server", "127.0.0.1:notaport"),
        bind.credentials().put("server", "ns1.rfc2136.test"))) {
      String refused = refusal(new Rfc2136Dns(vertx, bad).addTxt(ZONE, NAME, "v"));
      assertTrue(refused.startsWith("rfc2136: "), refused);
    }
  }

  @Test
  void aSilentServerFailsWithinTheTimeout() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      long started = System.nanoTime();
      String refused = refusal(new Rfc2136Dns(vertx, bind.credentials()
          .put("server", "127.0.0.1:" + silent.getLocalPort())).addTxt(ZONE, NAME, "v"));
      long elapsed = System.nanoTime() - started;
      assertEquals("rfc2136: adding the TXT record " + NAME + " at 127.0.0.1:" + silent.getLocalPort()
          + " failed: no answer within 10 s", refused);
      assertFalse(refused.contains(bind.credentials().getString("keySecret")), refused);
      assertTrue(elapsed >= TimeUnit.SECONDS.toNanos(9), "waited for the answer: " + elapsed / 1_000_000 + " ms");
      assertTrue(elapsed < TimeUnit.SECONDS.toNanos(15), "bounded by the timeout: " + elapsed / 1_000_000 + " ms");
    }
  }
}
