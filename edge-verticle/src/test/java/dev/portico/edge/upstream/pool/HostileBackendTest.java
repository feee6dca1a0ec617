package dev.portico.edge.upstream.pool;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What a backend may answer that must not reach the client as sent: framing the client would
 * read otherwise than the edge did, statuses that are not statuses; and a pool that cannot give
 * a connection in time.
 */
class HostileBackendTest {

  private PoolFixture upstream;

  @AfterEach
  void stop() throws Exception {
    upstream.close();
  }

  @Test
  void anHttp10ResponseWithTransferEncodingFailsTheCallAndClosesItsConnection() throws Exception {
    upstream = new PoolFixture(PoolLimits.DEFAULTS);
    String chunk = "x".repeat(300);
    // framed twice: read by its length, a client would take 5 bytes of the 300 and the rest as its
    // next response; Netty (4.2.18 on) refuses Transfer-Encoding below HTTP/1.1 (RFC 9112 6.1)
    try (RawBackend backend = new RawBackend(upstream.vertx, "\r\n\r\n", (socket, n) -> socket.write(Buffer.buffer(
        n == 1 ? "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\n"
            + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n"
            : "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nreused")))) {
      for (String path : new String[] {"/first", "/second"}) {
        // the second fails the same way: on a new connection (the first one's would answer "reused")
        ExecutionException failed = assertThrows(ExecutionException.class,
            () -> upstream.await(u -> u.exchange(PoolFixture.get(backend.port(), path))), path);
        assertInstanceOf(BackendProtocolException.class, failed.getCause(), path);
      }
    }
  }

  @Test
  void aTransferEncodingReadOnlyByALooseMatchFailsTheCall() throws Exception {
    upstream = new PoolFixture(PoolLimits.DEFAULTS);
    // "c" is a prefix of chunked, a tab before it is not a space, chunked before gzip is not last:
    // each would have the codec read the body otherwise than the backend framed it
    for (String codings : new String[] {"c", "gzip,\tchunked", "chunked, gzip"}) {
      try (RawBackend backend = new RawBackend(upstream.vertx, "\r\n\r\n", (socket, n) -> socket.write(Buffer.buffer(
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: " + codings + "\r\n\r\n2\r\nok\r\n0\r\n\r\n")))) {
        ExecutionException failed = assertThrows(ExecutionException.class,
            () -> upstream.await(u -> u.exchange(PoolFixture.get(backend.port(), "/"))), codings);
        assertInstanceOf(BackendProtocolException.class, failed.getCause(), codings);
      }
    }
  }

  @Test
  void aConnectionTheBackendClosesIsNotReusedWhateverTheWhitespace() throws Exception {
    upstream = new PoolFixture(PoolLimits.DEFAULTS);
    try (RawBackend backend = new RawBackend(upstream.vertx, "\r\n\r\n", (socket, n) -> socket.write(Buffer.buffer(
        n == 1 ? "HTTP/1.1 200 OK\r\nConnection: keep-alive,\tclose\r\nContent-Length: 5\r\n\r\nfirst"
            : "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nreused")))) {
      assertEquals("first", upstream.await(u -> u.exchange(PoolFixture.get(backend.port(), "/first"))).body());
      assertEquals("first", upstream.await(u -> u.exchange(PoolFixture.get(backend.port(), "/second"))).body(),
          "the second request went on a new connection");
    }
  }

  @Test
  void aStatusOutsideTheHttpRangeFailsTheCall() throws Exception {
    upstream = new PoolFixture(PoolLimits.DEFAULTS);
    for (String status : new String[] {"099", "600"}) {
      try (RawBackend backend = new RawBackend(upstream.vertx, "\r\n\r\n", (socket, n) -> socket.write(Buffer.buffer(
          "HTTP/1.1 " + status + " Odd\r\nContent-Length: 2\r\n\r\nok")))) {
        ExecutionException failed = assertThrows(ExecutionException.class,
            () -> upstream.await(u -> u.exchange(PoolFixture.get(backend.port(), "/"))), status);
        assertInstanceOf(BackendProtocolException.class, failed.getCause(), status);
      }
    }
  }

  @Test
  void aRequestWaitingLongerThanItsConnectTimeForAConnectionFailsAsBusy() throws Exception {
    upstream = new PoolFixture(new PoolLimits(1, 10, 1, 60_000, 16 * 1024));
    // the backend never answers: the one connection stays taken
    try (RawBackend backend = new RawBackend(upstream.vertx, "\r\n\r\n", (socket, n) -> { })) {
      RequestHead waiting = new RequestHead("127.0.0.1", backend.port(), HttpMethod.GET, "/2", PoolFixture.headers(),
          200, 60_000);
      Future<PoolFixture.Answer> second = upstream.onLoop(() -> {
        upstream.exchange(PoolFixture.get(backend.port(), "/1"));
        return Future.succeededFuture(upstream.exchange(waiting));
      });
      ExecutionException busy = assertThrows(ExecutionException.class, () -> upstream.onLoop(() -> second));
      assertInstanceOf(PoolBusyException.class, busy.getCause());
    }
  }
}
