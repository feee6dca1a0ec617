package dev.portico.edge.upstream.pool;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;

/** How a request body is framed to a backend: by the edge, never by what the client sent. */
final class Framing {

  private Framing() {
  }

  static void set(HttpHeaders headers, long bodyLength) {
    headers.remove(HttpHeaderNames.CONTENT_LENGTH);
    headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
    if (bodyLength == PooledCall.CHUNKED) {
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    } else if (bodyLength > 0) {
      headers.set(HttpHeaderNames.CONTENT_LENGTH, bodyLength);
    }
  }
}
