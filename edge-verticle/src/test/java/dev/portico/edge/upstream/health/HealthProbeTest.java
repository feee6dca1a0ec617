package dev.portico.edge.upstream.health;

import dev.portico.contract.Target;
import dev.portico.contract.UpstreamOptions.HealthCheck;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One check against raw backends on 127.0.0.1: its request, and its bounds (time, body, redirects). */
class HealthProbeTest {

  /** Generous, for the checks that must get their answer on a loaded machine. */
  private static final HealthCheck CHECK = new HealthCheck("/health?deep=1", 10_000, 5_000, 1, 1, null);
  /** Short, for the checks that must time out. */
  private static final HealthCheck QUICK = new HealthCheck("/health?deep=1", 1000, 300, 1, 1, null);

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  private final StringBuilder received = new StringBuilder();
  private final AtomicInteger connections = new AtomicInteger();
  private final CountDownLatch closed = new CountDownLatch(1);

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A backend that runs {@code answer} once a request head is in. */
  private int backend(Consumer<NetSocket> answer) throws Exception {
    NetServer server = vertx.createNetServer().connectHandler(socket -> {
      connections.incrementAndGet();
      socket.closeHandler(v -> closed.countDown());
      socket.handler(bytes -> {
        synchronized (received) {
          received.append(bytes.toString(StandardCharsets.ISO_8859_1));
          if (received.indexOf("\r\n\r\n") >= 0) {
            answer.accept(socket);
          }
        }
      });
    });
    return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
        .actualPort();
  }

  private HealthProbe.Outcome check(int port) throws Exception {
    return check(port, CHECK);
  }

  private HealthProbe.Outcome check(int port, HealthCheck check) throws Exception {
    Future<HealthProbe.Outcome> outcome = vertx.getOrCreateContext().<Future<HealthProbe.Outcome>>executeBlocking(
        () -> HealthProbe.check(vertx, client, "127.0.0.1", new Target("127.0.0.1", port), "shop.example", check))
        .compose(f -> f);
    return outcome.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aGetOfThePathWithTheSitesNameAnsweredWithTheStatus() throws Exception {
    int port = backend(socket -> socket.write("HTTP/1.1 204 No Content\r\n\r\n"));
    assertEquals(new HealthProbe.Outcome(true, "status 204"), check(port));
    assertTrue(received.toString().startsWith("GET /health?deep=1 HTTP/1.1\r\n"), received.toString());
    assertTrue(received.toString().toLowerCase().contains("host: shop.example\r\n"), received.toString());
  }

  @Test
  void anUnexpectedStatusFails() throws Exception {
    int port = backend(socket -> socket.write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"));
    assertEquals(new HealthProbe.Outcome(false, "status 503"), check(port));
  }

  @Test
  void aSilentBackendFailsAtTheTimeoutAndItsConnectionIsClosed() throws Exception {
    int port = backend(socket -> { });
    HealthProbe.Outcome outcome = check(port, QUICK);
    assertFalse(outcome.passed());
    assertEquals("no answer within 300 ms", outcome.result());
    assertTrue(closed.await(10, TimeUnit.SECONDS), "the check's connection is closed");
  }

  @Test
  void aHeadTrickledSlowerThanTheTimeoutFails() throws Exception {
    int port = backend(socket -> {
      socket.write("HTTP/1.1 200 OK\r\n");
      vertx.setPeriodic(50, tick -> socket.write("X-Slow: 1\r\n"));
    });
    assertFalse(check(port, QUICK).passed());
    assertTrue(closed.await(10, TimeUnit.SECONDS));
  }

  @Test
  void anEndlessBodyIsNotReadTheConnectionClosesOnceTheStatusIsIn() throws Exception {
    int port = backend(socket -> {
      socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
      Buffer chunk = Buffer.buffer("4000\r\n" + "x".repeat(0x4000) + "\r\n");
      vertx.setPeriodic(5, tick -> socket.write(chunk));
    });
    assertEquals(new HealthProbe.Outcome(true, "status 200"), check(port));
    assertTrue(closed.await(10, TimeUnit.SECONDS), "closed without waiting for the body's end");
  }

  @Test
  void aRedirectIsAStatusNotFollowed() throws Exception {
    int elsewhere = backend(socket -> socket.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    int port = backend(socket -> socket.write("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:" + elsewhere
        + "/\r\nContent-Length: 0\r\n\r\n"));
    assertEquals(new HealthProbe.Outcome(true, "status 302"), check(port));
    assertEquals(1, connections.get(), "the redirect's target was not asked");
  }
}
