package dev.portico.edge.http;

import dev.portico.contract.Target;
import dev.portico.edge.LogSafe;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeoutException;

/** The edge's own answers: JSON errors, and the 502/504 of a backend that failed. */
final class Replies {

  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);
  private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");

  private Replies() {
  }

  /**
   * Ends the exchange with a JSON error (a gRPC call: the matching gRPC status); the request
   * body, if any, is read and dropped.
   */
  static void error(HttpServerRequest request, int status, String error, String detail) {
    RequestReading.resumeIfOpen(request);
    HttpServerResponse response = request.response();
    if (response.ended()) {
      return;
    }
    if (GrpcCalls.isGrpc(request)) {
      GrpcCalls.answer(request, status, detail);
      return;
    }
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
        .end(new JsonObject().put("error", error).put("detail", detail).encode());
  }

  /** The backend failed: 504 when it timed out, else 502; a response under way is reset. */
  static void backendFailed(HttpServerRequest request, String host, Target target, Throwable cause) {
    boolean timeout = cause instanceof TimeoutException || cause instanceof ConnectTimeoutException;
    int status = timeout ? 504 : 502;
    LOG.warn("{} for {} {}{}: backend {} {}: {}", status, request.method(), host, LogSafe.of(request.uri()), target,
        timeout ? "timed out" : "failed", LogSafe.of(cause.getMessage()));
    if (request.response().headWritten()) {
      request.response().reset();
    } else if (timeout) {
      error(request, status, "backend timeout", "The backend did not answer in time");
    } else {
      error(request, status, "backend unavailable", "The backend could not be reached");
    }
  }
}
