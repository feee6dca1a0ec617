package dev.portico.edge.upstream;

import dev.portico.edge.upstream.pool.ProxyHeader;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;

/**
 * The head of a request to a backend, as the edge framed it.
 *
 * @param address          the address literal to dial (already resolved and checked)
 * @param port             the target's port
 * @param method           the request method
 * @param uri              the normalised request target
 * @param headers          the fields to send (hop-by-hop fields stripped, the edge's own set)
 * @param connectTimeoutMs how long connecting may take
 * @param idleTimeoutMs    how long the backend may stay silent once connected
 * @param upgrade          whether this is a WebSocket handshake (sent by {@link BackendCall#upgrade})
 * @param proxyHeader      the PROXY protocol header the site's backend connections open with, or null: none
 */
public record BackendRequest(String address, int port, HttpMethod method, String uri, MultiMap headers,
    long connectTimeoutMs, long idleTimeoutMs, boolean upgrade, ProxyHeader proxyHeader) {
}
