package dev.portico.edge.upstream.pool;

import dev.portico.contract.FieldSyntax;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;

import java.util.List;

/**
 * Whether the edge passes a backend's response head on, and how it frames its body and its
 * connection, read by whole list elements.
 * The decoder fills Vert.x's header map ({@link ResponseDecoder#HEADERS}), whose list matching
 * takes a prefix of an element ({@code Transfer-Encoding: c} as chunked) and trims spaces but not
 * tabs; what the edge relies on is decided here instead, and a body the codec may have framed
 * otherwise than the backend meant is not passed on.
 */
final class ResponseFraming {

  private static final String CHUNKED = "chunked";

  private ResponseFraming() {
  }

  /**
   * Why the edge cannot pass {@code response} on (a status outside 100–599, a Transfer-Encoding
   * the codec may have read otherwise than sent), or null when it can.
   */
  static String refusal(HttpResponse response) {
    int status = response.status().code();
    if (status < 100 || status > 599) {
      return "status " + status + " is not an HTTP status";
    }
    if (!readAsSent(response)) {
      return "a Transfer-Encoding the codec may have read otherwise than sent";
    }
    return null;
  }

  /**
   * A response framed both ways is read chunked whatever its version: its length must not reach
   * the client, and what follows its body cannot be trusted (RFC 9112 6.3), so its length is
   * dropped and its connection not kept.
   */
  static void dropLengthUnderCoding(HttpResponse response) {
    if (bothFramings(response)) {
      response.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
      HttpUtil.setKeepAlive(response, false);
    }
  }

  /** Whether the codec reads the body as the Transfer-Encoding says: chunked exactly when its last coding is. */
  private static boolean readAsSent(HttpResponse response) {
    List<String> codings = response.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
    boolean chunked = !codings.isEmpty()
        && CHUNKED.equalsIgnoreCase(FieldSyntax.lastElement(String.join(",", codings)));
    return chunked == HttpUtil.isTransferEncodingChunked(response);
  }

  /** Whether the response has both a length and a transfer coding (RFC 9112 6.3: the coding wins). */
  private static boolean bothFramings(HttpResponse response) {
    return response.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)
        && response.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
  }

  /** Whether the connection may carry another request after this response (RFC 9112 9.3). */
  static boolean keepsAlive(HttpResponse response) {
    boolean close = false;
    boolean keepAlive = false;
    for (String connection : response.headers().getAll(HttpHeaderNames.CONNECTION)) {
      close |= FieldSyntax.lists(connection, "close");
      keepAlive |= FieldSyntax.lists(connection, "keep-alive");
    }
    return !close && (response.protocolVersion().isKeepAliveDefault() || keepAlive);
  }
}
