/**
 * The request path's HTTP ends: {@link dev.portico.edge.http.RequestHandler} validates a request
 * and finds its route, {@link dev.portico.edge.http.Forwarding} runs the site's filters and sends
 * the request to an upstream (a failed step is retried or answered by {@code UpstreamFailures}, a
 * WebSocket handshake is handed off by {@code WebSocketHandoff}),
 * {@link dev.portico.edge.http.Relay} sends the response back through the filters and streams it;
 * errors are JSON ({@code Replies}), bugs answer 500 ({@code FailSafe}).
 */
package dev.portico.edge.http;
