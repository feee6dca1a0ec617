package dev.portico.edge.upstream;

import dev.portico.contract.BackendTls;
import dev.portico.contract.Target;
import dev.portico.edge.upstream.pool.ProxyHeader;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;

/**
 * The head of a request to a backend, as the edge framed it.
 *
 * @param address          the address literal to dial (already resolved and checked)
 * @param target           the target it belongs to: its port, its protocol, and its host (the TLS name)
 * @param site             the site's pattern (whose clients and sealed key this request uses)
 * @param tls              the site's TLS settings for {@code https://} targets
 * @param method           the request method
 * @param uri              the normalised request target
 * @param headers          the fields to send (hop-by-hop fields stripped, the edge's own set)
 * @param connectTimeoutMs how long connecting may take
 * @param idleTimeoutMs    how long the backend may stay silent once connected
 * @param upgrade          whether this is a WebSocket handshake (sent by {@link BackendCall#upgrade})
 * @param proxyHeader      the PROXY protocol header the site's backend connections open with, or null: none
 */
public record BackendRequest(String address, Target target, String site, BackendTls tls, HttpMethod method,
    String uri, MultiMap headers, long connectTimeoutMs, long idleTimeoutMs, boolean upgrade, ProxyHeader proxyHeader) {

  public int port() {
    return target.port();
  }

  /**
   * Whether a request with {@code method} may be sent again after a failure (RFC 9110 9.2.2): on a
   * kept-alive connection the backend closed under it, or to another target.
   */
  public static boolean isIdempotent(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
        || method == HttpMethod.PUT || method == HttpMethod.DELETE || method == HttpMethod.TRACE;
  }
}
