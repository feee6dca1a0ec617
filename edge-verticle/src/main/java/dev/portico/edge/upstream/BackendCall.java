package dev.portico.edge.upstream;

import dev.portico.edge.LogSafe;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.streams.ReadStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One request to a backend over a connection {@link Backends#open} got: send it, or upgrade it, or reset it. */
public final class BackendCall {

  private static final Logger LOG = LoggerFactory.getLogger(BackendCall.class);
  /** {@link #send}'s body length for a request without a body. */
  public static final long NO_BODY = 0;
  /** {@link #send}'s body length for a body of unknown length: sent chunked. */
  public static final long UNKNOWN_LENGTH = -1;

  private final HttpClientRequest request;

  BackendCall(HttpClientRequest request) {
    this.request = request;
    request.exceptionHandler(e -> LOG.debug("Request to a backend failed: {}", LogSafe.of(e.getMessage())));
  }

  /**
   * Sends the request with {@code body} ({@code null} when {@code length} is {@link #NO_BODY})
   * streamed with back-pressure, and completes with the response head. A body that fails (the
   * client broke it off, it grew over a limit) is never ended as if complete: the request is
   * reset, so the backend drops it rather than run a truncated one.
   */
  public Future<BackendResponse> send(ReadStream<Buffer> body, long length) {
    if (body == null) {
      return request.send().map(BackendResponse::new);
    }
    if (length == UNKNOWN_LENGTH) {
      request.setChunked(true);
    } else {
      request.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
    }
    body.pipe().endOnFailure(false).to(request).onFailure(e -> request.reset(0, e));
    return request.response().map(BackendResponse::new);
  }

  /** Sends the request as a protocol upgrade (a WebSocket handshake) and completes with the response head. */
  public Future<BackendResponse> upgrade() {
    return request.connect().map(BackendResponse::new);
  }

  /** Stops the request: the backend sees it cut off, the connection is not reused. */
  public void reset() {
    request.reset();
  }
}
