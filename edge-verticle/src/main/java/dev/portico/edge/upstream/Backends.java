package dev.portico.edge.upstream;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;

/**
 * The edge's connections to backends: the one seam between the request path and the HTTP
 * client. Everything the request path does with a backend goes through {@link #open},
 * {@link BackendCall} and {@link BackendResponse}; what is behind them (today Vert.x's
 * {@link HttpClient} with its pool per event loop) can change without the request path changing.
 */
public final class Backends {

  private final HttpClient client;

  public Backends(HttpClient client) {
    this.client = client;
  }

  /**
   * Gets a connection for {@code request} and sends nothing yet; fails when no connection could
   * be had (refused, timed out: a failure a retry elsewhere may help with).
   */
  public Future<BackendCall> open(BackendRequest request) {
    RequestOptions options = new RequestOptions()
        .setMethod(request.method())
        .setHost(request.address())
        .setPort(request.port())
        .setURI(request.uri())
        .setHeaders(request.headers())
        .setConnectTimeout(request.connectTimeoutMs())
        .setIdleTimeout(request.idleTimeoutMs());
    return client.request(options).map(BackendCall::new);
  }

  public Future<Void> close() {
    return client.close();
  }
}
