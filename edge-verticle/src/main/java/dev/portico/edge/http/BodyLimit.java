package dev.portico.edge.http;

import dev.portico.edge.LogSafe;
import dev.portico.edge.upstream.BackendCall;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request body on its way to the backend, counted against the site's limit. A body that grows
 * past it (chunked, HTTP/2 DATA, anything without a declared length) is cut off: the backend
 * request is reset, so the backend never sees a complete request, and the client gets 413 if no
 * response has started, else its stream or connection is reset. A declared {@code Content-Length}
 * over the limit is refused before any backend is asked ({@link #declaredOver}).
 */
final class BodyLimit implements ReadStream<Buffer> {

  private static final Logger LOG = LoggerFactory.getLogger(BodyLimit.class);
  /**
   * How long an HTTP/1.x connection keeps reading (and dropping) the rest of a refused body
   * before it closes: closing with unread bytes makes the kernel send a reset, which can destroy
   * the 413 before the client reads it.
   */
  private static final long LINGER_MS = 1_000;
  /** RST_STREAM NO_ERROR: the response is complete, the rest of the request is not wanted (RFC 9113 8.1). */
  private static final long NO_ERROR = 0;

  private final HttpServerRequest request;
  private final BackendCall backendCall;
  private final long max;
  /** The length the edge announced to the backend, or -1 when it sends the body chunked. */
  private final long declared;
  private long received;
  private boolean exceeded;

  /**
   * @param declared the body length the edge announces to the backend ({@code Content-Length}),
   *                 or -1: a body that turns out longer or shorter is cut off as a framing error
   *                 (the codecs hold most clients to it, but not every path: an h2c upgrade's
   *                 body is not checked against its content-length), so the backend never reads
   *                 the rest as a request of its own
   */
  BodyLimit(HttpServerRequest request, BackendCall backendCall, long max, long declared) {
    this.request = request;
    this.backendCall = backendCall;
    this.max = max;
    this.declared = declared;
  }

  /** The limit for a site: its own {@code maxBodyBytes}, else the node's. */
  static long of(Long siteMax, long nodeMax) {
    return siteMax != null ? siteMax : nodeMax;
  }

  /** Whether the request declares a {@code Content-Length} over {@code max}. */
  static boolean declaredOver(HttpServerRequest request, long max) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length == null) {
      return false;
    }
    try {
      return Long.parseLong(length.trim()) > max;
    } catch (NumberFormatException e) {
      return false;  // the HTTP codec refuses a malformed length before the handler runs
    }
  }

  /** Whether the body was cut off (the backend request's failure is then this, not the backend's). */
  boolean exceeded() {
    return exceeded;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    request.handler(handler == null ? null : chunk -> {
      if (exceeded) {
        return;
      }
      received += chunk.length();
      if (declared >= 0 && received > declared) {
        misframed();
      } else if (received > max) {
        exceed();
      } else {
        handler.handle(chunk);
      }
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> handler) {
    request.endHandler(handler == null ? null : v -> {
      if (exceeded) {
        return;
      }
      if (declared >= 0 && received != declared) {
        misframed();
      } else {
        handler.handle(v);
      }
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    request.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    request.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    request.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    request.fetch(amount);
    return this;
  }

  private void exceed() {
    exceeded = true;
    backendCall.reset();
    if (request.response().headWritten()) {
      request.response().reset();
    } else {
      refuse(request, max);
    }
  }

  /** The body is not the length its head announced: nothing more of it reaches the backend. */
  private void misframed() {
    exceeded = true;
    backendCall.reset();
    LOG.info("400 for {} from {}: the request body is not the {} bytes its head announced", LogSafe.of(request.authority()),
        request.remoteAddress(), declared);
    if (request.response().headWritten()) {
      request.response().reset();
    } else {
      answer(request, 400, new JsonObject().put("error", "bad request framing")
          .put("detail", "The request body is not as long as its Content-Length says"));
    }
  }

  /** Answers 413 and stops reading the request. */
  static void refuse(HttpServerRequest request, long max) {
    LOG.info("413 for {} from {}: request body over {} bytes", LogSafe.of(request.authority()), request.remoteAddress(),
        max);
    answer(request, 413, new JsonObject().put("error", "payload too large")
        .put("detail", "The request body is over this site's limit of " + max + " bytes"));
  }

  /**
   * Answers and stops reading the request: an HTTP/2 stream is reset once the answer is out, an
   * HTTP/1.x connection closed (its framing cannot skip the rest of the body cheaply).
   */
  private static void answer(HttpServerRequest request, int status, JsonObject error) {
    RequestReading.resumeIfOpen(request);  // what is left of the body is read and dropped
    HttpServerResponse response = request.response();
    boolean http2 = request.version() == HttpVersion.HTTP_2;
    if (!http2) {
      response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(error.encode())
        .onComplete(v -> {
          if (http2) {
            response.reset(NO_ERROR);
          } else {
            Vertx.currentContext().owner().setTimer(LINGER_MS, t -> request.connection().close());
          }
        });
  }
}
