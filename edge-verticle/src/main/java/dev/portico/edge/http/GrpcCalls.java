package dev.portico.edge.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * What the edge does differently for a gRPC call (a request with {@code content-type:
 * application/grpc}): its {@code TE: trailers} reaches an HTTP/2 backend (gRPC servers ask for
 * it), its {@code grpc-timeout} bounds how long the edge waits for the backend, and the edge's own
 * refusals reach it as a gRPC status (HTTP 200, trailers-only) rather than a JSON page a gRPC
 * client cannot read.
 */
final class GrpcCalls {

  private static final CharSequence APPLICATION_GRPC = HttpHeaders.createOptimized("application/grpc");
  private static final CharSequence TE = HttpHeaders.createOptimized("te");
  private static final CharSequence TRAILERS = HttpHeaders.createOptimized("trailers");
  /** gRPC's {@code grpc-timeout}: at most 8 digits and a unit. */
  private static final int MAX_TIMEOUT_DIGITS = 8;

  private GrpcCalls() {
  }

  /** Whether {@code request} is a gRPC call (not gRPC-Web, which is plain HTTP to a proxy). */
  static boolean isGrpc(HttpServerRequest request) {
    String type = request.headers().get(HttpHeaders.CONTENT_TYPE);
    return type != null && type.regionMatches(true, 0, "application/grpc", 0, 16)
        && (type.length() == 16 || type.charAt(16) == '+' || type.charAt(16) == ';');
  }

  /** Keeps the client's {@code TE: trailers} (the one TE value HTTP/2 allows) for an HTTP/2-capable backend. */
  static void keepTrailersField(HttpServerRequest request, MultiMap toBackend) {
    String te = request.headers().get(TE);
    if (te != null && te.trim().equalsIgnoreCase("trailers")) {
      toBackend.set(TE, TRAILERS);
    }
  }

  /** The site's read timeout, shortened to the call's {@code grpc-timeout} when that is shorter (at least 1 ms). */
  static long readTimeoutMs(HttpServerRequest request, long readTimeoutMs) {
    return timeoutMs(request.headers().get("grpc-timeout"), readTimeoutMs);
  }

  /** {@code readTimeoutMs}, or the {@code grpc-timeout} value {@code timeout} when that is valid and shorter. */
  static long timeoutMs(String timeout, long readTimeoutMs) {
    if (timeout == null || timeout.length() < 2 || timeout.length() > MAX_TIMEOUT_DIGITS + 1) {
      return readTimeoutMs;
    }
    long value = 0;
    for (int i = 0; i < timeout.length() - 1; i++) {
      char c = timeout.charAt(i);
      if (c < '0' || c > '9') {
        return readTimeoutMs;
      }
      value = value * 10 + (c - '0');
    }
    long ms = switch (timeout.charAt(timeout.length() - 1)) {
      case 'H' -> value * 3_600_000L;
      case 'M' -> value * 60_000L;
      case 'S' -> value * 1000L;
      case 'm' -> value;
      case 'u' -> value / 1000L;
      case 'n' -> value / 1_000_000L;
      default -> readTimeoutMs;
    };
    return Math.max(1, Math.min(readTimeoutMs, ms));
  }

  /** Answers a gRPC call with the status for the edge's HTTP {@code status}: 200, trailers-only. */
  static void answer(HttpServerRequest request, int status, String message) {
    HttpServerResponse response = request.response();
    response.headers().clear();
    response.setStatusCode(200)
        .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_GRPC)
        .putHeader("grpc-status", Integer.toString(code(status)))
        .putHeader("grpc-message", percentEncoded(message))
        .end();
  }

  /** The gRPC status code for an HTTP status the edge answers with (gRPC's own mapping, and 504 as the deadline). */
  static int code(int status) {
    return switch (status) {
      case 401 -> 16;  // UNAUTHENTICATED
      case 403 -> 7;   // PERMISSION_DENIED
      case 404 -> 12;  // UNIMPLEMENTED
      case 413, 429 -> 8;  // RESOURCE_EXHAUSTED
      case 502, 503 -> 14;  // UNAVAILABLE
      case 504 -> 4;   // DEADLINE_EXCEEDED
      default -> status >= 400 ? 13 : 2;  // INTERNAL, else UNKNOWN
    };
  }

  /** gRPC's percent-encoding of {@code grpc-message}: printable ASCII but '%' as is, the rest as UTF-8 %XX. */
  static String percentEncoded(String message) {
    StringBuilder out = new StringBuilder(message.length());
    for (byte b : message.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      if (b >= 0x20 && b <= 0x7e && b != '%') {
        out.append((char) b);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
