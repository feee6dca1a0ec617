package dev.portico.edge.http;

import dev.portico.contract.FieldSyntax;
import dev.portico.edge.LogSafe;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a request head may be used and forwarded at all, before anything of it is:
 * its method, its request target, every field name and value (whatever the protocol: an HTTP/2
 * value holding CR LF would otherwise become header lines on the backend's HTTP/1.1 connection),
 * and for HTTP/1.x its framing (RFC 9112 6.1, 6.3). Nothing of the client's framing is forwarded:
 * {@link #bodyLength} is what the edge relays, and the edge writes its own framing from it.
 *
 * <p>Netty's decoder has already refused, on HTTP/1.x: several differing or non-numeric
 * Content-Length values; on HTTP/2: upper-case, connection-specific and repeated pseudo-header
 * fields, {@code te} other than {@code trailers}, and DATA that disagrees with content-length;
 * Vert.x: HTTP/2 requests without {@code :method}, {@code :scheme} or {@code :path}, and an
 * {@code :authority} that differs from {@code host}. On HTTP/1.1, Netty drops a Content-Length
 * sent beside chunked (RFC 9112 6.3 lets an intermediary forward such a message, de-chunked and
 * framed anew); an obs-fold is replaced by a space (RFC 9112 5.2). The checks here do not rely
 * on Vert.x's header validation, which production turns off.
 */
final class RequestHeadValidator {

  /** The body length of a request without one, from {@link #bodyLength}. */
  static final long NO_BODY = 0;
  /** The body length of a request whose length is not known in advance (chunked, or HTTP/2 without content-length). */
  static final long UNKNOWN_LENGTH = -1;

  private RequestHeadValidator() {
  }

  /** Why {@code request} must be refused with 400, log-safe; null when it may be forwarded. */
  static String problem(HttpServerRequest request) {
    HttpMethod method = request.method();
    if (!FieldSyntax.isToken(method.name())) {
      return "the method is not a token: " + LogSafe.escape(method.name());
    }
    String target = request.uri();
    if (target == null ? method != HttpMethod.CONNECT : !isRequestTarget(target)) {
      return "the request target is missing or holds a space, control or non-ASCII character: "
          + LogSafe.escape(String.valueOf(target));
    }
    boolean http2 = request.version() == HttpVersion.HTTP_2;
    for (Iterator<? extends Map.Entry<? extends CharSequence, ? extends CharSequence>> fields =
        HeadFields.of(request.headers()); fields.hasNext(); ) {
      Map.Entry<? extends CharSequence, ? extends CharSequence> field = fields.next();
      CharSequence name = field.getKey();
      if (http2 ? !FieldSyntax.isLowerCaseToken(name) : !FieldSyntax.isToken(name)) {
        return "a field name is not a" + (http2 ? " lower-case" : "") + " token: " + LogSafe.escape(name.toString());
      }
      if (!FieldSyntax.isFieldValue(field.getValue())) {
        return "the value of " + name + " holds a control character or starts or ends with whitespace";
      }
    }
    return http2 ? null : framingProblem(request);
  }

  /**
   * RFC 9112 6.1 and 6.3: Transfer-Encoding only on HTTP/1.1, only {@code chunked}, never beside
   * Content-Length. (Content-Length alone Netty has checked: one decimal number.)
   */
  private static String framingProblem(HttpServerRequest request) {
    MultiMap headers = request.headers();
    if (!headers.contains(HttpHeaders.TRANSFER_ENCODING)) {
      return null;  // most requests: no list to build
    }
    List<String> codings = headers.getAll(HttpHeaders.TRANSFER_ENCODING);
    if (request.version() != HttpVersion.HTTP_1_1) {
      return "Transfer-Encoding in an HTTP/1.0 request";
    }
    if (headers.contains(HttpHeaders.CONTENT_LENGTH)) {
      return "Transfer-Encoding beside Content-Length";
    }
    if (codings.size() != 1 || !codings.get(0).trim().equalsIgnoreCase("chunked")) {
      return "a Transfer-Encoding other than chunked alone: " + LogSafe.escape(String.join(", ", codings));
    }
    return null;
  }

  /** Visible ASCII only (RFC 9112 3.2): no space, control or non-ASCII character. */
  private static boolean isRequestTarget(String target) {
    int length = target.length();
    if (length == 0) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = target.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }

  /**
   * The length of the body the edge relays for a request {@link #problem} accepted:
   * {@link #NO_BODY}, a length the decoder enforces (HTTP/1.x Content-Length; HTTP/2
   * content-length, which Netty holds the DATA frames to), or {@link #UNKNOWN_LENGTH} (chunked).
   */
  static long bodyLength(HttpServerRequest request) {
    boolean http2 = request.version() == HttpVersion.HTTP_2;
    if (http2 && request.isEnded()) {
      return NO_BODY;
    }
    String length = request.headers().get(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      return Long.parseLong(length.trim());
    }
    return http2 || request.headers().contains(HttpHeaders.TRANSFER_ENCODING) ? UNKNOWN_LENGTH : NO_BODY;
  }
}
