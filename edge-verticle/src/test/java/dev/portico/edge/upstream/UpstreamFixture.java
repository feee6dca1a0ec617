package dev.portico.edge.upstream;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.impl.headers.HeadersMultiMap;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Backend pools on one event loop of a real Vert.x, driven from a test thread. */
final class UpstreamFixture implements AutoCloseable {

  /** A whole response as the caller saw it. */
  record Answer(int status, String connectionHeader, String body) {
  }

  final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  final BackendPools pools;

  UpstreamFixture(UpstreamOptions options) throws Exception {
    pools = onLoop(() -> Future.succeededFuture(new BackendPools(vertx, options)));
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

  static BackendRequest get(int port, String uri) {
    return new BackendRequest("127.0.0.1", port, HttpMethod.GET, uri, headers(), BackendRequest.NO_BODY, 5_000, 10_000);
  }

  static HeadersMultiMap headers() {
    HeadersMultiMap headers = HeadersMultiMap.httpHeaders();
    headers.set("Host", "backend.test");
    return headers;
  }

  /** Sends a body-less request and reads the whole response; call on the loop. */
  Future<Answer> exchange(BackendRequest request) {
    return send(request, call -> { });
  }

  /** Sends {@code request}, lets {@code body} write to the call, and reads the whole response; call on the loop. */
  Future<Answer> send(BackendRequest request, java.util.function.Consumer<BackendCall> body) {
    Promise<Answer> answer = Promise.promise();
    pools.call(request, ready -> {
      if (ready.failed()) {
        answer.fail(ready.cause());
        return;
      }
      BackendCall call = ready.result();
      call.response(head -> {
        if (head.failed()) {
          answer.fail(head.cause());
          return;
        }
        BackendResponse response = head.result();
        Buffer received = Buffer.buffer();
        response.handler(received::appendBuffer);
        response.exceptionHandler(answer::tryFail);
        response.endHandler(v -> answer.tryComplete(new Answer(response.statusCode(),
            response.headers().get("Connection"), received.toString())));
      });
      body.accept(call);
    });
    return answer.future();
  }

  <T> T await(Function<UpstreamFixture, Future<T>> action) throws Exception {
    return onLoop(() -> action.apply(this));
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
