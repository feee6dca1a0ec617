package dev.portico.edge.pipeline;

import dev.portico.contract.RequestPath;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;

/**
 * The request as a site's filters see it, once validated and routed: plain values, so a filter
 * is tested without a server.
 *
 * @param method  the request method
 * @param host    the canonical host asked for
 * @param path    the normalised request target (the one the backend receives)
 * @param headers the request's header fields as received (validated; filters read, never write them)
 * @param secure  whether the request came over TLS
 * @param peer    the connection's peer address as text, or null when it is not an IP connection
 * @param authority the canonical host with the port the client named, if it named one (for the
 *                links the edge makes back to the site: SSO's redirect URI)
 */
public record ClientRequest(HttpMethod method, String host, RequestPath path, MultiMap headers, boolean secure,
    String peer, String authority) {
}
