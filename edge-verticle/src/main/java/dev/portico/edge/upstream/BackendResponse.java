package dev.portico.edge.upstream;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.net.NetSocket;
import io.vertx.core.streams.ReadStream;

/** A backend's response: its head, then its body as a stream with back-pressure, or — after a 101 — its connection. */
public final class BackendResponse {

  private final HttpClientResponse response;

  BackendResponse(HttpClientResponse response) {
    this.response = response;
  }

  public int status() {
    return response.statusCode();
  }

  public String statusMessage() {
    return response.statusMessage();
  }

  /** The header fields as received: not validated (a backend's word). */
  public MultiMap headers() {
    return response.headers();
  }

  /** The body; paused and resumed by whoever relays it. */
  public ReadStream<Buffer> body() {
    return response;
  }

  /** After a 101: the connection, for the tunnel. */
  public NetSocket switchedConnection() {
    return response.netSocket();
  }
}
