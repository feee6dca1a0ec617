package dev.portico.edge.http;

import dev.portico.edge.LogSafe;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Defence in depth for the edge's request handling: an exception no step expected (a bug) still
 * answers the client, 500, or resets a response already under way, and is logged once, instead
 * of leaving the client waiting for a response that never comes. Each known failure has its own
 * answer where it happens; this is for the ones nobody knew about.
 */
final class FailSafe {

  private static final Logger LOG = LoggerFactory.getLogger(FailSafe.class);
  private static final String INTERNAL_ERROR =
      "{\"error\":\"internal error\",\"detail\":\"The edge failed to handle this request\"}";

  private FailSafe() {
  }

  /** {@code handler}, answering 500 when it throws (no object per request: this runs for every one). */
  static Handler<HttpServerRequest> requests(Handler<HttpServerRequest> handler) {
    return request -> {
      try {
        handler.handle(request);
      } catch (RuntimeException e) {
        failed(request, e);
      }
    };
  }

  /** {@code step} of the handling of {@code request} (a callback), answering 500 when it throws. */
  static <T> Handler<T> guard(HttpServerRequest request, Handler<T> step) {
    return event -> {
      try {
        step.handle(event);
      } catch (RuntimeException e) {
        failed(request, e);
      }
    };
  }

  private static void failed(HttpServerRequest request, RuntimeException e) {
    LOG.error("500 for {} {} from {}: unexpected failure in the edge", LogSafe.of(request.method()), LogSafe.of(request.uri()),
        request.remoteAddress(), e);
    HttpServerResponse response = request.response();
    try {
      if (response.ended() || response.closed()) {
        return;
      }
      if (response.headWritten()) {
        response.reset();
        return;
      }
      RequestReading.resumeIfOpen(request);
      response.headers().clear();  // whatever a failed step had set (a backend's Content-Length...)
      response.setStatusCode(500).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(INTERNAL_ERROR);
    } catch (RuntimeException again) {
      LOG.debug("Could not answer the failed request: {}", again.toString());
      request.connection().close();
    }
  }
}
