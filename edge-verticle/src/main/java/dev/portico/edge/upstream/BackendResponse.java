package dev.portico.edge.upstream;

import dev.portico.edge.upstream.pool.PooledResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.net.NetSocket;
import io.vertx.core.streams.ReadStream;

/**
 * A backend's response: its head, then its body as a stream with back-pressure and, on Vert.x's
 * client, its trailers (gRPC's status travels there); or — after a 101 — its connection.
 */
public final class BackendResponse {

  private final int status;
  private final String statusMessage;
  private final MultiMap headers;
  private final ReadStream<Buffer> body;
  /** The response on Vert.x's client (a handshake's, or a relayed request's); null for a pooled request. */
  private final HttpClientResponse onClient;

  private BackendResponse(int status, String statusMessage, MultiMap headers, ReadStream<Buffer> body,
      HttpClientResponse onClient) {
    this.status = status;
    this.statusMessage = statusMessage;
    this.headers = headers;
    this.body = body;
    this.onClient = onClient;
  }

  static BackendResponse forwarded(PooledResponse response) {
    return new BackendResponse(response.statusCode(), response.statusMessage(), response.headers(), response, null);
  }

  static BackendResponse switched(HttpClientResponse response) {
    return relayed(response);
  }

  static BackendResponse relayed(HttpClientResponse response) {
    return new BackendResponse(response.statusCode(), response.statusMessage(), response.headers(), response, response);
  }

  public int status() {
    return status;
  }

  public String statusMessage() {
    return statusMessage;
  }

  /** The header fields as received: not validated (a backend's word). */
  public MultiMap headers() {
    return headers;
  }

  /** The body; paused and resumed by whoever relays it. */
  public ReadStream<Buffer> body() {
    return body;
  }

  /** Once the body has ended: its trailer fields as received (not validated); null on the edge's own pool, which keeps none. */
  public MultiMap trailers() {
    return onClient == null ? null : onClient.trailers();
  }

  /** Whether trailer fields may follow the body (only Vert.x's client keeps them). */
  public boolean mayCarryTrailers() {
    return onClient != null;
  }

  /** After a 101: the connection, for the tunnel. */
  public NetSocket switchedConnection() {
    return onClient.netSocket();
  }
}
