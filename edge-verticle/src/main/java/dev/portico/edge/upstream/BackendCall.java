package dev.portico.edge.upstream;

import dev.portico.edge.LogSafe;
import dev.portico.edge.upstream.pool.PooledCall;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.streams.ReadStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request to a backend over a connection {@link Backends#open} got: send it, or upgrade it,
 * or reset it. It travels on the edge's own pool ({@code host:port} targets) or on Vert.x's
 * client ({@code https://}, {@code h2c://} targets, and WebSocket handshakes).
 */
public final class BackendCall {

  private static final Logger LOG = LoggerFactory.getLogger(BackendCall.class);
  /** {@link #send}'s body length for a request without a body. */
  public static final long NO_BODY = PooledCall.NO_BODY;
  /** {@link #send}'s body length for a body of unknown length: sent chunked. */
  public static final long UNKNOWN_LENGTH = PooledCall.CHUNKED;

  /** A forwarded request, on the edge's own connections; null for a handshake. */
  private final PooledCall pooled;
  /** A WebSocket handshake or a relayed request, on Vert.x's client; null for a pooled request. */
  private final HttpClientRequest onClient;

  private BackendCall(PooledCall pooled, HttpClientRequest onClient) {
    this.pooled = pooled;
    this.onClient = onClient;
  }

  static BackendCall forwarding(PooledCall pooled) {
    return new BackendCall(pooled, null);
  }

  static BackendCall upgrading(HttpClientRequest handshake) {
    handshake.exceptionHandler(e -> LOG.debug("Handshake with a backend failed: {}", LogSafe.of(e.getMessage())));
    return new BackendCall(null, handshake);
  }

  static BackendCall relaying(HttpClientRequest request) {
    request.exceptionHandler(e -> LOG.debug("Request to a backend failed: {}", LogSafe.of(e.getMessage())));
    return new BackendCall(null, request);
  }

  /**
   * Sends the request with {@code body} ({@code null} when {@code length} is {@link #NO_BODY})
   * streamed with back-pressure, and completes with the response head. A body that fails (the
   * client broke it off, it grew over a limit) is never ended as if complete: the request is
   * reset, so the backend drops it rather than run a truncated one.
   */
  public Future<BackendResponse> send(ReadStream<Buffer> body, long length) {
    if (pooled == null) {
      return relay(body, length);
    }
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

  /**
   * {@link #send} on Vert.x's client: the head goes at once (a gRPC stream may wait for the
   * server's first message before sending its own), the body with back-pressure, the response's
   * trailers kept for the client.
   */
  private Future<BackendResponse> relay(ReadStream<Buffer> body, long length) {
    HttpClientRequest request = onClient;
    Future<BackendResponse> answered = request.response().map(BackendResponse::relayed);
    if (body == null) {
      request.end();
      return answered;
    }
    if (length >= 0) {
      request.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
    } else {
      request.setChunked(true);
    }
    request.sendHead();
    body.pipe().endOnFailure(false).to(request).onFailure(e -> request.reset());
    return answered;
  }

  /** Sends the request as a protocol upgrade (a WebSocket handshake) and completes with the response head. */
  public Future<BackendResponse> upgrade() {
    return onClient.connect().map(BackendResponse::switched);
  }

  /** Stops the request: the backend sees it cut off, the connection is not reused. */
  public void reset() {
    if (pooled != null) {
      pooled.reset();
    } else {
      onClient.reset();
    }
  }
}
