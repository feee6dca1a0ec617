package dev.portico.edge.upstream.pool;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The read timeout counts the backend's silence only: not the time the edge spends sending, or not reading. */
class ReadTimeoutTest {

  private static final int PIECES = 15;
  private PoolFixture upstream;

  @BeforeEach
  void start() throws Exception {
    upstream = new PoolFixture(PoolLimits.DEFAULTS);
  }

  @AfterEach
  void stop() throws Exception {
    upstream.close();
  }

  @Test
  void anUploadLongerThanTheReadTimeoutIsNotCutOff() throws Exception {
    HttpServer server = upstream.vertx.createHttpServer().requestHandler(request -> {
      AtomicLong count = new AtomicLong();
      request.handler(chunk -> count.addAndGet(chunk.length()));
      request.endHandler(v -> request.response().end(Long.toString(count.get())));
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    RequestHead post = new RequestHead("127.0.0.1", server.actualPort(), HttpMethod.POST, "/upload",
        PoolFixture.headers(), 5_000, 1_000);
    // a piece every 100 ms: the upload takes longer than the read timeout, the backend waits for its end
    PoolFixture.Answer answer = upstream.await(u -> u.send(post, PooledCall.CHUNKED,
        call -> writePieces(call, PIECES)));
    assertEquals(Integer.toString(PIECES * 1024), answer.body());
  }

  private void writePieces(PooledCall call, int left) {
    if (left == 0) {
      call.end();
    } else {
      call.write(Buffer.buffer(new byte[1024]))
          .onSuccess(v -> upstream.vertx.setTimer(100, t -> writePieces(call, left - 1)));
    }
  }

  @Test
  void aResponseTheEdgePausedLongerThanTheReadTimeoutIsNotCutOff() throws Exception {
    CompletableFuture<NetSocket> answering = new CompletableFuture<>();
    try (RawBackend backend = new RawBackend(upstream.vertx, "\r\n\r\n", (socket, n) -> {
      socket.write(Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello"));
      answering.complete(socket);
    })) {
      RequestHead get = new RequestHead("127.0.0.1", backend.port(), HttpMethod.GET, "/", PoolFixture.headers(),
          5_000, 500);
      CompletableFuture<String> body = new CompletableFuture<>();
      upstream.onLoop(() -> {
        Promise<Void> asked = Promise.promise();
        upstream.pools.open(get, ready -> ready.result().response(head -> {
          PooledResponse response = head.result();
          response.pause();  // a slow client: the edge stops reading the backend for three read timeouts
          Buffer received = Buffer.buffer();
          response.handler(received::appendBuffer);
          response.exceptionHandler(body::completeExceptionally);
          response.endHandler(v -> body.complete(received.toString()));
          upstream.vertx.setTimer(1_500, t -> {
            response.resume();
            answering.join().write("world");
          });
        }).send(PooledCall.NO_BODY));
        asked.complete();
        return asked.future();
      });
      assertEquals("helloworld", body.get(30, TimeUnit.SECONDS));
    }
  }
}
