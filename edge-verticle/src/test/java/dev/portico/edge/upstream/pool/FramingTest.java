package dev.portico.edge.upstream.pool;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backend reads the body framing the edge chose, never the one the client's fields claimed. */
class FramingTest {

  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  private PoolFixture upstream;

  @BeforeEach
  void start() throws Exception {
    upstream = new PoolFixture(PoolLimits.DEFAULTS);
  }

  @AfterEach
  void stop() throws Exception {
    upstream.close();
  }

  private static HeadersMultiMap clientFraming() {
    HeadersMultiMap headers = PoolFixture.headers();
    headers.add("Content-Length", "99");
    headers.add("Transfer-Encoding", "gzip, chunked");
    return headers;
  }

  @Test
  void aKnownLengthIsSentAsThatContentLengthOnly() throws Exception {
    try (RawBackend backend = new RawBackend(upstream.vertx, "hello", (socket, n) -> socket.write(Buffer.buffer(OK)))) {
      RequestHead post = new RequestHead("127.0.0.1", backend.port(), HttpMethod.POST, "/p", clientFraming(), 5_000, 10_000);
      upstream.await(u -> u.send(post, 5, call -> call.write(Buffer.buffer("hello")).compose(v -> call.end())));
      String sent = backend.received.get(0).toLowerCase(Locale.ROOT);
      assertTrue(sent.contains("\r\ncontent-length: 5\r\n"), sent);
      assertEquals(sent.indexOf("content-length"), sent.lastIndexOf("content-length"), sent);
      assertFalse(sent.contains("transfer-encoding"), sent);
      assertTrue(sent.endsWith("\r\n\r\nhello"), sent);
    }
  }

  @Test
  void anUnknownLengthIsSentChunked() throws Exception {
    try (RawBackend backend = new RawBackend(upstream.vertx, "0\r\n\r\n", (socket, n) -> socket.write(Buffer.buffer(OK)))) {
      RequestHead post = new RequestHead("127.0.0.1", backend.port(), HttpMethod.POST, "/p", clientFraming(), 5_000, 10_000);
      upstream.await(u -> u.send(post, PooledCall.CHUNKED, call -> call.write(Buffer.buffer("hel"))
          .compose(v -> call.write(Buffer.buffer("lo"))).compose(v -> call.end())));
      String sent = backend.received.get(0).toLowerCase(Locale.ROOT);
      assertTrue(sent.contains("\r\ntransfer-encoding: chunked\r\n"), sent);
      assertEquals(sent.indexOf("transfer-encoding"), sent.lastIndexOf("transfer-encoding"), sent);
      assertFalse(sent.contains("content-length"), sent);
      assertTrue(sent.endsWith("\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n"), sent);
    }
  }

  @Test
  void aRequestWithoutBodyCarriesNoFraming() throws Exception {
    try (RawBackend backend = new RawBackend(upstream.vertx, "\r\n\r\n", (socket, n) -> socket.write(Buffer.buffer(OK)))) {
      RequestHead get = new RequestHead("127.0.0.1", backend.port(), HttpMethod.GET, "/g", clientFraming(), 5_000, 10_000);
      assertEquals("ok", upstream.await(u -> u.exchange(get)).body());
      String sent = backend.received.get(0).toLowerCase(Locale.ROOT);
      assertTrue(sent.startsWith("get /g http/1.1\r\n"), sent);
      assertFalse(sent.contains("content-length") || sent.contains("transfer-encoding"), sent);
    }
  }

  @Test
  void aBodyResetBeforeItsFirstPieceLeavesNothingAtTheBackend() throws Exception {
    try (RawBackend backend = new RawBackend(upstream.vertx, "\r\n\r\n", (socket, n) -> socket.write(Buffer.buffer(OK)))) {
      RequestHead post = new RequestHead("127.0.0.1", backend.port(), HttpMethod.POST, "/refused", clientFraming(),
          5_000, 10_000);
      upstream.onLoop(() -> {
        io.vertx.core.Promise<Void> reset = io.vertx.core.Promise.promise();
        upstream.pools.open(post, ready -> {
          ready.result().send(4);
          ready.result().reset();  // what the edge does when the body's first piece is over its length
          reset.complete();
        });
        return reset.future();
      });
      assertEquals("ok", upstream.await(u -> u.exchange(PoolFixture.get(backend.port(), "/probe"))).body());
      assertEquals(1, backend.received.size(), backend.received.toString());
      assertTrue(backend.received.get(0).startsWith("GET /probe "), backend.received.toString());
    }
  }
}
