package dev.portico.edge.upstream;

import dev.portico.edge.upstream.pool.PooledResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.net.NetSocket;
import io.vertx.core.streams.ReadStream;

/** A backend's response: its head, then its body as a stream with back-pressure, or — after a 101 — its connection. */
public final class BackendResponse {

  private final int status;
  private final String statusMessage;
  private final MultiMap headers;
  private final ReadStream<Buffer> body;
  /** The handshake's response, whose connection becomes the tunnel; null for a forwarded request. */
  private final HttpClientResponse handshake;

  private BackendResponse(int status, String statusMessage, MultiMap headers, ReadStream<Buffer> body,
      HttpClientResponse handshake) {
    this.status = status;
    this.statusMessage = statusMessage;
    this.headers = headers;
    this.body = body;
    this.handshake = handshake;
  }

  static BackendResponse forwarded(PooledResponse response) {
    return new BackendResponse(response.statusCode(), response.statusMessage(), response.headers(), response, null);
  }

  static BackendResponse switched(HttpClientResponse response) {
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

  /** After a 101: the connection, for the tunnel. */
  public NetSocket switchedConnection() {
    return handshake.netSocket();
  }
}
