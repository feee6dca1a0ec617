package dev.portico.edge.upstream.pool;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.impl.headers.HeadersMultiMap;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Backend pools on one event loop of a real Vert.x, driven from a test thread. */
final class PoolFixture implements AutoCloseable {

  /** A whole response as the caller saw it; {@code fieldNames} as they came, in order. */
  record Answer(int status, String connectionHeader, String body, String contentLength, String reason,
      List<String> fieldNames) {
  }

  final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  final ConnectionPools pools;

  PoolFixture(PoolLimits options) throws Exception {
    pools = onLoop(() -> Future.succeededFuture(new ConnectionPools(vertx, options)));
  }

  /** Runs {@code action} on the pools' event loop and waits (generously) for its result. */
  <T> T onLoop(java.util.function.Supplier<Future<T>> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> action.get().onComplete(ar -> {
      if (ar.succeeded()) {
        result.complete(ar.result());
      } else {
        result.completeExceptionally(ar.cause());
      }
    }));
    return result.get(30, TimeUnit.SECONDS);
  }

  static RequestHead get(int port, String uri) {
    return new RequestHead("127.0.0.1", port, HttpMethod.GET, uri, headers(), 5_000, 10_000);
  }

  static HeadersMultiMap headers() {
    HeadersMultiMap headers = HeadersMultiMap.httpHeaders();
    headers.set("Host", "backend.test");
    return headers;
  }

  /** Sends a body-less request and reads the whole response; call on the loop. */
  Future<Answer> exchange(RequestHead request) {
    return send(request, PooledCall.NO_BODY, call -> { });
  }

  /** Sends {@code request} framed for {@code length}, lets {@code body} write to the call, and reads the whole response; call on the loop. */
  Future<Answer> send(RequestHead request, long length, java.util.function.Consumer<PooledCall> body) {
    Promise<Answer> answer = Promise.promise();
    pools.open(request, ready -> {
      if (ready.failed()) {
        answer.fail(ready.cause());
        return;
      }
      PooledCall call = ready.result();
      call.response(head -> {
        if (head.failed()) {
          answer.fail(head.cause());
          return;
        }
        PooledResponse response = head.result();
        Buffer received = Buffer.buffer();
        response.handler(received::appendBuffer);
        response.exceptionHandler(answer::tryFail);
        response.endHandler(v -> answer.tryComplete(new Answer(response.statusCode(),
            response.headers().get("Connection"), received.toString(),
            response.headers().get("Content-Length"), response.statusMessage(),
            response.headers().entries().stream().map(Map.Entry::getKey).toList())));
      });
      call.send(length);
      body.accept(call);
    });
    return answer.future();
  }

  <T> T await(Function<PoolFixture, Future<T>> action) throws Exception {
    return onLoop(() -> action.apply(this));
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
