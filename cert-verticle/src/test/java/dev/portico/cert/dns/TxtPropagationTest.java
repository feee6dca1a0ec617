package dev.portico.cert.dns;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The propagation wait against a real BIND 9, as the zone's resolver and name server. */
class TxtPropagationTest {

  private static Bind bind;
  private static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    bind = new Bind("seen.test");
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    bind.close();
  }

  private static TxtPropagation propagation(long timeoutMs) {
    return new TxtPropagation(vertx, new TxtPropagation.Options(List.of(), bind.address(), bind.port(), timeoutMs, 100));
  }

  private static Throwable failure(Future<Void> wait) throws Exception {
    try {
      wait.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the wait succeeded");
  }

  @Test
  void aNameUnderTheZoneIsWaitedForOnTheZonesNameServers() throws Exception {
    Throwable failure = failure(propagation(1_000).await("www.seen.test", "_acme-challenge.www.seen.test",
        List.of("value")));
    assertInstanceOf(DnsProviderException.class, failure);
    assertEquals("the TXT record _acme-challenge.www.seen.test was not visible within 1 s at " + bind.address()
        + " (shows nothing)", failure.getMessage(), "www.seen.test has no NS records: seen.test's are asked");
  }

  @Test
  void aResolverRefusingTheQuestionFailsAtOnceSayingSo() throws Exception {
    long started = System.nanoTime();
    Throwable failure = failure(propagation(20_000).await("elsewhere.example", "_acme-challenge.elsewhere.example",
        List.of("value")));
    assertEquals("the resolver " + bind.address() + " cannot tell the name servers of elsewhere.example: "
        + "it answers REFUSED", failure.getMessage());
    assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "not after the propagation timeout");
  }

  @Test
  void aResolverThatDoesNotAnswerIsAskedAgainUntilTheDeadline() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      TxtPropagation propagation = new TxtPropagation(vertx, new TxtPropagation.Options(List.of(),
          "127.0.0.1:" + silent.getLocalPort(), 53, 4_000, 100));
      long started = System.nanoTime();
      Throwable failure = failure(propagation.await("seen.test", "_acme-challenge.seen.test", List.of("value")));
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      assertEquals("the resolver 127.0.0.1:" + silent.getLocalPort() + " cannot tell the name servers of seen.test: "
          + "no answer", failure.getMessage());
      assertTrue(elapsedMs >= 4_000, "a query unanswered (3 s) is not the end of the wait: " + elapsedMs + " ms");
    }
  }

  @Test
  void stoppingEndsTheWaitsUnderWay() throws Exception {
    TxtPropagation propagation = propagation(60_000);
    Future<Void> wait = propagation.await("seen.test", "_acme-challenge.seen.test", List.of("value"));
    Thread.sleep(300);
    long started = System.nanoTime();
    propagation.stop();
    assertEquals("stopped waiting for the TXT record _acme-challenge.seen.test: the certificate role is stopping",
        failure(wait).getMessage());
    assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5));
  }
}
