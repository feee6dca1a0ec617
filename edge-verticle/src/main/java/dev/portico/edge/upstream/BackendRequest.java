package dev.portico.edge.upstream;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.impl.headers.HeadersMultiMap;

/**
 * One request for a backend, as the edge framed it.
 *
 * @param address        the target's IP address (resolved and checked already), as a literal
 * @param port           the target's port
 * @param method         the request method
 * @param uri            the origin-form request target
 * @param headers        the end-to-end fields to send; framing fields are the transport's:
 *                       {@code Content-Length} or {@code Transfer-Encoding} are set here from
 *                       {@code bodyLength}, whatever the map holds
 * @param bodyLength     {@link #NO_BODY}, {@link #CHUNKED}, or the exact length of the body
 * @param connectTimeoutMs how long a new connection may take
 * @param readTimeoutMs  how long the backend may stay silent while the request is in flight
 */
public record BackendRequest(String address, int port, HttpMethod method, String uri, HeadersMultiMap headers,
    long bodyLength, int connectTimeoutMs, long readTimeoutMs) {

  /** No body: nothing follows the head. */
  public static final long NO_BODY = -2;
  /** A body of a length not known in advance: sent with chunked transfer coding. */
  public static final long CHUNKED = -1;

  public boolean hasBody() {
    return bodyLength != NO_BODY;
  }
}
