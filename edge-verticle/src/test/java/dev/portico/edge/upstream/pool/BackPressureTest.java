package dev.portico.edge.upstream.pool;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bodies stream both ways without piling up: a slow reader stops the writer on the other side. */
class BackPressureTest {

  private static final int CHUNK = 64 * 1024;
  private static final long BIG = 64L * 1024 * 1024;
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
  void aPausedResponseStopsTheBackendsWrites() throws Exception {
    AtomicBoolean backendBlocked = new AtomicBoolean();
    AtomicLong sent = new AtomicLong();
    HttpServer server = upstream.vertx.createHttpServer().requestHandler(request -> {
      request.response().setChunked(true);
      writeUntilDone(request, sent, backendBlocked);
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    CompletableFuture<PooledResponse> paused = new CompletableFuture<>();
    AtomicLong received = new AtomicLong();
    CompletableFuture<Long> total = new CompletableFuture<>();
    upstream.onLoop(() -> {
      upstream.pools.open(PoolFixture.get(server.actualPort(), "/big"), ready -> ready.result().response(head -> {
        PooledResponse response = head.result();
        response.pause();
        response.handler(chunk -> received.addAndGet(chunk.length()));
        response.endHandler(end -> total.complete(received.get()));
        paused.complete(response);
      }).send(PooledCall.NO_BODY));
      return io.vertx.core.Future.succeededFuture();
    });
    PooledResponse response = paused.get(10, TimeUnit.SECONDS);
    for (int i = 0; i < 3000 && !backendBlocked.get(); i++) {
      Thread.sleep(10);
    }
    assertTrue(backendBlocked.get(), "the backend's writes were held back while the response was paused");
    assertTrue(sent.get() < BIG, "the backend could not send everything into a paused response");
    upstream.onLoop(() -> {
      response.resume();
      return io.vertx.core.Future.succeededFuture();
    });
    assertEquals(BIG, total.get(60, TimeUnit.SECONDS));
  }

  private void writeUntilDone(HttpServerRequest request, AtomicLong sent, AtomicBoolean blocked) {
    Buffer chunk = Buffer.buffer(new byte[CHUNK]);
    while (sent.get() < BIG) {
      if (request.response().writeQueueFull()) {
        blocked.set(true);
        request.response().drainHandler(v -> writeUntilDone(request, sent, blocked));
        return;
      }
      request.response().write(chunk);
      sent.addAndGet(CHUNK);
    }
    request.response().end();
  }

  @Test
  void aBackendThatStopsReadingFillsTheCallsWriteQueue() throws Exception {
    CompletableFuture<HttpServerRequest> held = new CompletableFuture<>();
    HttpServer server = upstream.vertx.createHttpServer().requestHandler(request -> {
      request.pause();
      AtomicLong count = new AtomicLong();
      request.handler(chunk -> count.addAndGet(chunk.length()));
      request.endHandler(v -> request.response().end(Long.toString(count.get())));
      held.complete(request);
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    RequestHead post = new RequestHead("127.0.0.1", server.actualPort(), HttpMethod.POST, "/upload",
        PoolFixture.headers(), 5_000, 30_000);
    AtomicLong written = new AtomicLong();
    AtomicBoolean filled = new AtomicBoolean();
    CompletableFuture<PoolFixture.Answer> answer = new CompletableFuture<>();
    upstream.onLoop(() -> {
      upstream.send(post, PooledCall.CHUNKED, call -> {
        Buffer chunk = Buffer.buffer(new byte[CHUNK]);
        while (!call.writeQueueFull() && written.get() < BIG) {
          call.write(chunk);
          written.addAndGet(CHUNK);
        }
        filled.set(call.writeQueueFull());
        call.drainHandler(v -> call.end());
      }).onComplete(ar -> {
        if (ar.succeeded()) {
          answer.complete(ar.result());
        } else {
          answer.completeExceptionally(ar.cause());
        }
      });
      return io.vertx.core.Future.succeededFuture();
    });
    HttpServerRequest request = held.get(10, TimeUnit.SECONDS);
    assertTrue(filled.get(), "the write queue filled before " + BIG + " bytes while the backend did not read");
    request.resume();
    assertEquals(Long.toString(written.get()), answer.get(60, TimeUnit.SECONDS).body());
  }
}
