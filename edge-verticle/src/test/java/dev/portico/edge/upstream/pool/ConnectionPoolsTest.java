package dev.portico.edge.upstream.pool;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pooling, keep-alive and failures of the edge's own backend connections, against real backends on 127.0.0.1. */
class ConnectionPoolsTest {

  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  private PoolFixture upstream;

  @AfterEach
  void stop() throws Exception {
    upstream.close();
  }

  private HttpServer backend(io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> handler, AtomicInteger opened,
      AtomicInteger open, AtomicInteger maxOpen) throws Exception {
    return upstream.vertx.createHttpServer().connectionHandler(connection -> {
      opened.incrementAndGet();
      maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
      connection.closeHandler(v -> open.decrementAndGet());
    }).requestHandler(handler).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void keptConnectionsCarryTheNextRequests() throws Exception {
    upstream = new PoolFixture(PoolLimits.DEFAULTS);
    AtomicInteger opened = new AtomicInteger();
    HttpServer server = backend(request -> request.response().end("hello " + request.uri()), opened,
        new AtomicInteger(), new AtomicInteger());
    for (int i = 0; i < 5; i++) {
      String uri = "/" + i;
      PoolFixture.Answer answer = upstream.await(u -> u.exchange(PoolFixture.get(server.actualPort(), uri)));
      assertEquals(200, answer.status());
      assertEquals("hello " + uri, answer.body());
    }
    assertEquals(1, opened.get(), "five requests in a row share one connection");
  }

  @Test
  void anIdleConnectionIsClosedAfterTheKeepAliveTime() throws Exception {
    upstream = new PoolFixture(new PoolLimits(256, 4096, 256, 200, 16 * 1024));
    AtomicInteger opened = new AtomicInteger();
    AtomicInteger open = new AtomicInteger();
    HttpServer server = backend(request -> request.response().end("ok"), opened, open, new AtomicInteger());
    // a read timeout far beyond the wait below: only the keep-alive time can close the connection in time
    RequestHead first = new RequestHead("127.0.0.1", server.actualPort(), HttpMethod.GET, "/a", PoolFixture.headers(),
        5_000, 120_000);
    assertEquals("ok", upstream.await(u -> u.exchange(first)).body());
    for (int waited = 0; open.get() > 0 && waited < 100; waited++) {
      Thread.sleep(100);  // the keep-alive time is 200 ms: 10 s is a generous bound
    }
    assertEquals(0, open.get(), "the idle connection was closed by the edge");
    assertEquals("ok", upstream.await(u -> u.exchange(PoolFixture.get(server.actualPort(), "/b"))).body());
    assertEquals(2, opened.get(), "the next request opened a new connection");
  }

  @Test
  void atMostTheBoundOfConnectionsOpenAndTheRestWait() throws Exception {
    upstream = new PoolFixture(new PoolLimits(2, 100, 2, 60_000, 16 * 1024));
    AtomicInteger maxOpen = new AtomicInteger();
    HttpServer server = backend(request -> upstream.vertx.setTimer(20, t -> request.response().end("done")),
        new AtomicInteger(), new AtomicInteger(), maxOpen);
    List<PoolFixture.Answer> answers = upstream.await(u -> {
      List<Future<PoolFixture.Answer>> all = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        all.add(u.exchange(PoolFixture.get(server.actualPort(), "/" + i)));
      }
      return Future.all(all).map(f -> f.<PoolFixture.Answer>list());
    });
    assertEquals(8, answers.size());
    answers.forEach(answer -> assertEquals("done", answer.body()));
    assertTrue(maxOpen.get() <= 2, "at most 2 connections, saw " + maxOpen.get());
  }

  @Test
  void requestsBeyondTheWaitingBoundFailAtOnce() throws Exception {
    upstream = new PoolFixture(new PoolLimits(1, 1, 1, 60_000, 16 * 1024));
    List<io.vertx.core.http.HttpServerResponse> held = new java.util.concurrent.CopyOnWriteArrayList<>();
    HttpServer server = backend(request -> held.add(request.response()), new AtomicInteger(), new AtomicInteger(),
        new AtomicInteger());
    List<Future<PoolFixture.Answer>> all = upstream.onLoop(() -> {
      List<Future<PoolFixture.Answer>> sent = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        sent.add(upstream.exchange(PoolFixture.get(server.actualPort(), "/" + i)));
      }
      return Future.succeededFuture(sent);
    });
    ExecutionException busy = assertThrows(ExecutionException.class, () -> upstream.onLoop(() -> all.get(2)));
    assertInstanceOf(PoolBusyException.class, busy.getCause());
    // the held request is answered; the waiting one then takes the freed connection
    while (held.isEmpty()) {
      Thread.sleep(10);
    }
    held.get(0).end("first");
    while (held.size() < 2) {
      Thread.sleep(10);
    }
    held.get(1).end("second");
    assertEquals("first", upstream.onLoop(() -> all.get(0)).body());
    assertEquals("second", upstream.onLoop(() -> all.get(1)).body());
  }

  @Test
  void aRequestResetWhileWaitingLeavesItsPlaceInTheQueue() throws Exception {
    upstream = new PoolFixture(new PoolLimits(1, 1, 1, 60_000, 16 * 1024));
    List<io.vertx.core.http.HttpServerRequest> held = new java.util.concurrent.CopyOnWriteArrayList<>();
    HttpServer server = backend(held::add, new AtomicInteger(), new AtomicInteger(), new AtomicInteger());
    Future<PoolFixture.Answer> third = upstream.onLoop(() -> {
      upstream.exchange(PoolFixture.get(server.actualPort(), "/1"));  // takes the only connection
      upstream.pools.open(PoolFixture.get(server.actualPort(), "/2"), ready -> { }).reset();  // its client left
      return Future.succeededFuture(upstream.exchange(PoolFixture.get(server.actualPort(), "/3")));
    });
    while (held.isEmpty()) {
      Thread.sleep(10);
    }
    assertFalse(upstream.onLoop(() -> Future.succeededFuture(third.failed())), "/3 was refused: " + third.cause());
    held.get(0).response().end("first");
    for (int i = 0; i < 3000 && held.size() < 2; i++) {
      Thread.sleep(10);
    }
    assertEquals("/3", held.get(1).uri());
    held.get(1).response().end("third");
    assertEquals("third", upstream.onLoop(() -> third).body());
  }

  @Test
  void aKeptConnectionTheBackendClosedIsNotUsedAgain() throws Exception {
    upstream = new PoolFixture(PoolLimits.DEFAULTS);
    try (RawBackend backend = new RawBackend(upstream.vertx, "\r\n\r\n", (socket, n) -> socket.end(Buffer.buffer(OK)))) {
      for (int i = 0; i < 3; i++) {
        assertEquals("ok", upstream.await(u -> u.exchange(PoolFixture.get(backend.port(), "/"))).body());
      }
    }
  }

  @Test
  void aGetOnAKeptConnectionClosedUnderItIsSentAgainOnANewOne() throws Exception {
    upstream = new PoolFixture(PoolLimits.DEFAULTS);
    // the first request on each connection is answered and the connection kept; the second is dropped
    try (RawBackend backend = new RawBackend(upstream.vertx, "\r\n\r\n", (socket, n) -> {
      if (n == 1) {
        socket.write(Buffer.buffer(OK));
      } else {
        socket.close();
      }
    })) {
      assertEquals("ok", upstream.await(u -> u.exchange(PoolFixture.get(backend.port(), "/a"))).body());
      assertEquals("ok", upstream.await(u -> u.exchange(PoolFixture.get(backend.port(), "/b"))).body());
      assertEquals(3, backend.received.size(), "/a, /b dropped, /b again");
      // a request with a body is not repeated: the backend may have acted on it
      RequestHead post = new RequestHead("127.0.0.1", backend.port(), HttpMethod.POST, "/c",
          PoolFixture.headers(), 5_000, 10_000);
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> upstream.await(u -> u.send(post, 2, call -> call.write(Buffer.buffer("hi")).compose(v -> call.end()))));
      assertInstanceOf(IOException.class, failed.getCause());
    }
  }

  @Test
  void aRequestTimedOutOnAKeptConnectionIsNotSentAgain() throws Exception {
    upstream = new PoolFixture(PoolLimits.DEFAULTS);
    // the first request on each connection is answered; the second is read and never answered
    try (RawBackend backend = new RawBackend(upstream.vertx, "\r\n\r\n", (socket, n) -> {
      if (n == 1) {
        socket.write(Buffer.buffer(OK));
      }
    })) {
      assertEquals("ok", upstream.await(u -> u.exchange(PoolFixture.get(backend.port(), "/a"))).body());
      RequestHead delete = new RequestHead("127.0.0.1", backend.port(), HttpMethod.DELETE, "/b",
          PoolFixture.headers(), 5_000, 300);
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> upstream.await(u -> u.exchange(delete)));
      assertInstanceOf(TimeoutException.class, failed.getCause());
      assertEquals(2, backend.received.size(), "the DELETE reached the backend once: " + backend.received);
    }
  }

  @Test
  void aRequestOnAKeptConnectionClosedAfterPartOfAnAnswerIsNotSentAgain() throws Exception {
    upstream = new PoolFixture(PoolLimits.DEFAULTS);
    try (RawBackend backend = new RawBackend(upstream.vertx, "\r\n\r\n", (socket, n) -> {
      if (n == 1) {
        socket.write(Buffer.buffer(OK));
      } else {
        socket.end(Buffer.buffer("HTTP/1.1 200 O"));  // the backend began to answer: it acted on the request
      }
    })) {
      assertEquals("ok", upstream.await(u -> u.exchange(PoolFixture.get(backend.port(), "/a"))).body());
      assertThrows(ExecutionException.class,
          () -> upstream.await(u -> u.exchange(PoolFixture.get(backend.port(), "/b"))));
      assertEquals(2, backend.received.size(), "the GET reached the backend once: " + backend.received);
    }
  }

  @Test
  void aMalformedResponseFailsTheCall() throws Exception {
    upstream = new PoolFixture(PoolLimits.DEFAULTS);
    try (RawBackend backend = new RawBackend(upstream.vertx, "\r\n\r\n", (socket, n) -> socket.write(Buffer.buffer(
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nokk")))) {
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> upstream.await(u -> u.exchange(PoolFixture.get(backend.port(), "/"))));
      assertInstanceOf(BackendProtocolException.class, failed.getCause());
    }
  }

  @Test
  void aSilentBackendTimesOut() throws Exception {
    upstream = new PoolFixture(PoolLimits.DEFAULTS);
    try (RawBackend backend = new RawBackend(upstream.vertx, "\r\n\r\n", (socket, n) -> { })) {
      RequestHead request = new RequestHead("127.0.0.1", backend.port(), HttpMethod.GET, "/",
          PoolFixture.headers(), 5_000, 300);
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> upstream.await(u -> u.exchange(request)));
      assertInstanceOf(TimeoutException.class, failed.getCause());
    }
  }

  @Test
  void interimAnswersAreSkipped() throws Exception {
    upstream = new PoolFixture(PoolLimits.DEFAULTS);
    try (RawBackend backend = new RawBackend(upstream.vertx, "\r\n\r\n", (socket, n) -> socket.write(Buffer.buffer(
        "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n" + OK)))) {
      PoolFixture.Answer answer = upstream.await(u -> u.exchange(PoolFixture.get(backend.port(), "/")));
      assertEquals(200, answer.status());
      assertEquals("ok", answer.body());
      assertFalse(answer.body().contains("103"));
    }
  }

  @Test
  void aHeadAnsweredAfterAnInterimAnswerEndsAtItsHead() throws Exception {
    upstream = new PoolFixture(PoolLimits.DEFAULTS);
    try (RawBackend backend = new RawBackend(upstream.vertx, "\r\n\r\n", (socket, n) -> socket.write(Buffer.buffer(n == 1
        ? "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
        : OK)))) {
      RequestHead head = new RequestHead("127.0.0.1", backend.port(), HttpMethod.HEAD, "/", PoolFixture.headers(),
          5_000, 3_000);
      PoolFixture.Answer answer = upstream.await(u -> u.exchange(head));
      assertEquals(200, answer.status());
      assertEquals("", answer.body());
      assertEquals("ok", upstream.await(u -> u.exchange(PoolFixture.get(backend.port(), "/"))).body(),
          "the next request on that connection reads its own answer");
    }
  }
}
