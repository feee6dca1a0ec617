package dev.portico.edge.upstream.pool;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.impl.headers.HeadersMultiMap;

/**
 * The head of a request for a backend, as the edge made it.
 *
 * @param address        the target's IP address (resolved and checked already), as a literal
 * @param port           the target's port
 * @param method         the request method
 * @param uri            the origin-form request target
 * @param headers        the end-to-end fields to send; framing fields are the transport's:
 *                       {@code Content-Length} or {@code Transfer-Encoding} are set from the
 *                       body length given to {@link PooledCall#send}, whatever the map holds
 * @param connectTimeoutMs how long a new connection may take
 * @param readTimeoutMs  how long the backend may stay silent while the request is in flight
 * @param proxyHeader    the PROXY protocol header the connection opens with, or null: none
 */
public record RequestHead(String address, int port, HttpMethod method, String uri, HeadersMultiMap headers,
    int connectTimeoutMs, long readTimeoutMs, ProxyHeader proxyHeader) {

  /** A request on a connection without a PROXY protocol header. */
  public RequestHead(String address, int port, HttpMethod method, String uri, HeadersMultiMap headers,
      int connectTimeoutMs, long readTimeoutMs) {
    this(address, port, method, uri, headers, connectTimeoutMs, readTimeoutMs, null);
  }
}
