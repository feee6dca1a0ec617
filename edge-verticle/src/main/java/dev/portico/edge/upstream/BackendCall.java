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
 * One request to a backend, from the moment {@link Backends#open} asked for a connection:
 * {@link #ready} completes once it has one; then send it, or upgrade it. {@link #reset} works in
 * every state, so a client that goes away while its request still waits for a connection takes
 * it out of the queue. It travels on the edge's own pool ({@code host:port} targets) or on
 * Vert.x's client ({@code https://}, {@code h2c://} targets, and WebSocket handshakes).
 */
public final class BackendCall {

  private static final Logger LOG = LoggerFactory.getLogger(BackendCall.class);
  /** {@link #send}'s body length for a request without a body. */
  public static final long NO_BODY = PooledCall.NO_BODY;
  /** {@link #send}'s body length for a body of unknown length: sent chunked. */
  public static final long UNKNOWN_LENGTH = PooledCall.CHUNKED;

  private final Promise<BackendCall> ready = Promise.promise();
  /** A forwarded request, on the edge's own connections; null for a handshake. */
  private PooledCall pooled;
  /** A WebSocket handshake or a relayed request, on Vert.x's client; null until it has a connection, or for a pooled request. */
  private HttpClientRequest onClient;
  private boolean reset;

  BackendCall() {
  }

  /** Completes with this call once it has a connection; fails when none could be had. */
  public Future<BackendCall> ready() {
    return ready.future();
  }

  void forwarding(PooledCall call) {
    pooled = call;
  }

  void connected() {
    ready.tryComplete(this);
  }

  /** The call got its request on Vert.x's client: a WebSocket handshake ({@code upgrade}) or a relayed request. */
  void onClient(HttpClientRequest request, boolean upgrade) {
    request.exceptionHandler(e -> LOG.debug(upgrade ? "Handshake with a backend failed: {}"
        : "Request to a backend failed: {}", LogSafe.of(e.getMessage())));
    onClient = request;
    if (reset) {
      request.reset();
    }
    ready.tryComplete(this);
  }

  void failed(Throwable cause) {
    ready.tryFail(cause);
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

  /**
   * Stops the request: one waiting for a connection leaves the queue, one sent is cut off (the
   * backend sees it incomplete, the connection is not reused).
   */
  public void reset() {
    reset = true;
    if (pooled != null) {
      pooled.reset();
    } else if (onClient != null) {
      onClient.reset();
    }
  }
}
