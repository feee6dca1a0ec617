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

  /**
   * Why a backend failed, in words for the log: a TLS failure names the handshake and its root
   * cause (Vert.x wraps it in "Failed to create SSL connection"), e.g. the name the certificate
   * lacks, an expired certificate, an unknown CA.
   */
  static String reason(Throwable cause) {
    Throwable root = cause;
    boolean tls = false;
    for (int depth = 0; depth < 10 && root != null; depth++) {
      tls |= root instanceof javax.net.ssl.SSLException;
      if (root instanceof java.security.cert.CertificateExpiredException) {
        return "TLS handshake failed: the backend's certificate has expired (" + root.getMessage() + ")";
      }
      if (root.getCause() == null || root.getCause() == root) {
        break;
      }
      root = root.getCause();
    }
    String message = root == null || root.getMessage() == null ? String.valueOf(cause) : root.getMessage();
    return tls ? "TLS handshake failed: " + message : cause.getMessage() == null ? message : cause.getMessage();
  }

  /** The backend failed: 504 when it timed out, else 502; a response under way is reset. */
  static void backendFailed(HttpServerRequest request, String host, Target target, Throwable cause) {
    boolean timeout = cause instanceof TimeoutException || cause instanceof ConnectTimeoutException;
    int status = timeout ? 504 : 502;
    LOG.warn("{} for {} {}{}: backend {} {}: {}", status, request.method(), host, LogSafe.of(request.uri()), target,
        timeout ? "timed out" : "failed", LogSafe.of(reason(cause)));
    if (request.response().headWritten()) {
      request.response().reset();
    } else if (timeout) {
      error(request, status, "backend timeout", "The backend did not answer in time");
    } else {
      error(request, status, "backend unavailable", "The backend could not be reached");
    }
  }
}
