package dev.portico.edge.upstream;

import dev.portico.edge.LogSafe;
import dev.portico.edge.upstream.pool.PooledCall;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.streams.ReadStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One request to a backend over a connection {@link Backends#open} got: send it, or upgrade it, or reset it. */
public final class BackendCall {

  private static final Logger LOG = LoggerFactory.getLogger(BackendCall.class);
  /** {@link #send}'s body length for a request without a body. */
  public static final long NO_BODY = PooledCall.NO_BODY;
  /** {@link #send}'s body length for a body of unknown length: sent chunked. */
  public static final long UNKNOWN_LENGTH = PooledCall.CHUNKED;

  /** A forwarded request, on the edge's own connections; null for a handshake. */
  private final PooledCall pooled;
  /** A WebSocket handshake, on Vert.x's client; null for a forwarded request. */
  private final HttpClientRequest handshake;

  private BackendCall(PooledCall pooled, HttpClientRequest handshake) {
    this.pooled = pooled;
    this.handshake = handshake;
  }

  static BackendCall forwarding(PooledCall pooled) {
    return new BackendCall(pooled, null);
  }

  static BackendCall upgrading(HttpClientRequest handshake) {
    handshake.exceptionHandler(e -> LOG.debug("Handshake with a backend failed: {}", LogSafe.of(e.getMessage())));
    return new BackendCall(null, handshake);
  }

  /**
   * Sends the request with {@code body} ({@code null} when {@code length} is {@link #NO_BODY})
   * streamed with back-pressure, and completes with the response head. A body that fails (the
   * client broke it off, it grew over a limit) is never ended as if complete: the request is
   * reset, so the backend drops it rather than run a truncated one.
   */
  public Future<BackendResponse> send(ReadStream<Buffer> body, long length) {
    Promise<BackendResponse> answered = Promise.promise();
    pooled.response(ar -> {
      if (ar.succeeded()) {
        answered.complete(BackendResponse.forwarded(ar.result()));
      } else {
        answered.fail(ar.cause());
      }
    });
    pooled.send(body == null ? NO_BODY : length);
    if (body != null) {
      body.pipe().endOnFailure(false).to(pooled).onFailure(e -> pooled.reset());
    }
    return answered.future();
  }

  /** Sends the request as a protocol upgrade (a WebSocket handshake) and completes with the response head. */
  public Future<BackendResponse> upgrade() {
    return handshake.connect().map(BackendResponse::switched);
  }

  /** Stops the request: the backend sees it cut off, the connection is not reused. */
  public void reset() {
    if (pooled != null) {
      pooled.reset();
    } else {
      handshake.reset();
    }
  }
}
