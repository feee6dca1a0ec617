package dev.portico.edge.upstream;

import dev.portico.edge.upstream.pool.ConnectionPools;
import dev.portico.edge.upstream.pool.RequestHead;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.impl.headers.HeadersMultiMap;

/**
 * The edge's connections to backends: the one seam between the request path and the HTTP
 * client. Everything the request path does with a backend goes through {@link #open},
 * {@link BackendCall} and {@link BackendResponse}. Requests travel on the edge's own
 * {@link ConnectionPools} (plain Netty channels on the event loop that serves the client: no
 * hand-off, no pool machinery per request); WebSocket handshakes on Vert.x's {@link HttpClient},
 * which owns the switch of a connection to a raw socket after the 101.
 */
public final class Backends {

  private final ConnectionPools pools;
  private final HttpClient upgrades;

  public Backends(ConnectionPools pools, HttpClient upgrades) {
    this.pools = pools;
    this.upgrades = upgrades;
  }

  /**
   * Gets a connection for {@code request} and sends nothing yet; fails when no connection could
   * be had (refused, timed out: a failure a retry elsewhere may help with).
   */
  public Future<BackendCall> open(BackendRequest request) {
    if (request.upgrade()) {
      RequestOptions options = new RequestOptions()
          .setMethod(request.method())
          .setHost(request.address())
          .setPort(request.port())
          .setURI(request.uri())
          .setHeaders(request.headers())
          .setConnectTimeout(request.connectTimeoutMs())
          .setIdleTimeout(request.idleTimeoutMs());
      return upgrades.request(options).map(BackendCall::upgrading);
    }
    HeadersMultiMap headers = request.headers() instanceof HeadersMultiMap own ? own
        : HeadersMultiMap.httpHeaders().setAll(request.headers());
    Promise<BackendCall> opened = Promise.promise();
    pools.open(new RequestHead(request.address(), request.port(), request.method(), request.uri(), headers,
        (int) Math.min(Integer.MAX_VALUE, request.connectTimeoutMs()), request.idleTimeoutMs(), request.proxyHeader()),
        ar -> {
          if (ar.succeeded()) {
            opened.complete(BackendCall.forwarding(ar.result()));
          } else {
            opened.fail(ar.cause());
          }
        });
    return opened.future();
  }

  public Future<Void> close() {
    pools.close();
    return upgrades.close();
  }
}
