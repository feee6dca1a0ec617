package dev.portico.edge.upstream.pool;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A kept connection carries the next request only when the backend's last answer ended cleanly:
 * bytes the backend sent beyond a response never become the answer to another client's request.
 */
class ReuseTest {

  private static final String HELLO = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
  private static final String SECOND = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond";
  private PoolFixture upstream;

  @AfterEach
  void stop() throws Exception {
    upstream.close();
  }

  /** Two GETs at once on a pool of one connection: the second waits for the first's connection. */
  private List<PoolFixture.Answer> twoAtOnce(BiConsumer<NetSocket, Integer> answer) throws Exception {
    upstream = new PoolFixture(new PoolLimits(1, 10, 1, 60_000, 16 * 1024));
    try (RawBackend backend = new RawBackend(upstream.vertx, "\r\n\r\n", answer)) {
      return upstream.await(u -> Future.all(u.exchange(PoolFixture.get(backend.port(), "/first")),
          u.exchange(PoolFixture.get(backend.port(), "/second"))).map(f -> f.<PoolFixture.Answer>list()));
    }
  }

  @Test
  void aWholeResponseBeyondTheAnswerIsNotHandedToTheNextRequest() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    List<PoolFixture.Answer> answers = twoAtOnce((socket, n) -> socket.write(Buffer.buffer(
        requests.incrementAndGet() == 1 ? HELLO + "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged" : SECOND)));
    assertEquals("hello", answers.get(0).body());
    assertEquals("second", answers.get(1).body(), "the second request got the backend's answer to it");
  }

  @Test
  void aPartResponseBeyondTheAnswerIsNotHandedToTheNextRequest() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    // the rest of the extra response comes as the next request on that connection arrives
    List<PoolFixture.Answer> answers = twoAtOnce((socket, n) -> socket.write(Buffer.buffer(
        requests.incrementAndGet() == 1 ? HELLO + "HTTP/1.1 200 OK\r\nContent-Le"
            : n == 1 ? SECOND : "ngth: 6\r\n\r\nforged")));
    assertEquals("hello", answers.get(0).body());
    assertEquals("second", answers.get(1).body(), "the second request got the backend's answer to it");
  }

  @Test
  void aResponseFramedByTransferEncodingAndContentLengthClosesItsConnection() throws Exception {
    upstream = new PoolFixture(PoolLimits.DEFAULTS);
    // RFC 9112 6.3: the framing is in doubt, the connection must not carry another request
    try (RawBackend backend = new RawBackend(upstream.vertx, "\r\n\r\n", (socket, n) -> socket.write(Buffer.buffer(
        n == 1 ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 100\r\n\r\n2\r\nok\r\n0\r\n\r\n"
            : "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nreused")))) {
      assertEquals("ok", upstream.await(u -> u.exchange(PoolFixture.get(backend.port(), "/first"))).body());
      assertEquals("ok", upstream.await(u -> u.exchange(PoolFixture.get(backend.port(), "/second"))).body(),
          "the second request went on a new connection");
    }
  }

  @Test
  void aResponseThatEndsWhileTheEdgeReadsNothingDoesNotLeaveItsConnectionToTheNextRequest() throws Exception {
    upstream = new PoolFixture(new PoolLimits(1, 10, 1, 60_000, 16 * 1024));
    AtomicInteger requests = new AtomicInteger();
    // the forged answer comes while the edge reads nothing (its client is slow): it waits in the socket
    try (RawBackend backend = new RawBackend(upstream.vertx, "\r\n\r\n", (socket, n) -> {
      if (requests.incrementAndGet() == 1) {
        socket.write(Buffer.buffer(HELLO));
        upstream.vertx.setTimer(100, t -> socket.write(Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged")));
      } else {
        socket.write(Buffer.buffer(SECOND));
      }
    })) {
      assertEquals("hello", upstream.await(u -> readSlowly(u, backend.port())));
      assertEquals("second", upstream.await(u -> u.exchange(PoolFixture.get(backend.port(), "/second"))).body(),
          "the second request got the backend's answer to it");
    }
  }

  /** A GET whose response is paused from its head on (a slow client) and resumed 300 ms later. */
  private static Future<String> readSlowly(PoolFixture upstream, int port) {
    Promise<String> body = Promise.promise();
    upstream.pools.open(PoolFixture.get(port, "/first"), ready -> {
      PooledCall call = ready.result();
      call.response(head -> {
        PooledResponse response = head.result();
        response.pause();
        Buffer received = Buffer.buffer();
        response.handler(received::appendBuffer);
        response.endHandler(v -> body.complete(received.toString()));
        upstream.vertx.setTimer(300, t -> response.resume());
      });
      call.send(PooledCall.NO_BODY);
    });
    return body.future();
  }
}
