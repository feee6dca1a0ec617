package dev.portico.contract;

import io.netty.util.AttributeKey;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Tells a connection's watcher (the launcher's request head deadline, on every listener of a
 * node) that a request head arrived on it: Vert.x decodes heads inside its own pipeline, so the
 * request handler is the first place that knows. The watcher hangs on the connection's Netty
 * channel; a connection without one (a server on a Vert.x instance the launcher did not build)
 * costs one attribute read.
 */
public final class RequestHeads {

  /** The channel attribute the watcher is kept under. */
  public static final AttributeKey<Watcher> WATCHER = AttributeKey.valueOf("portico.requestHeadWatcher");

  /** Told of every request head that arrives on its connection, on the connection's event loop. */
  public interface Watcher {
    void headArrived(HttpServerRequest request);
  }

  private RequestHeads() {
  }

  /** {@code handler}, telling the connection's watcher first. */
  public static Handler<HttpServerRequest> reporting(Handler<HttpServerRequest> handler) {
    return request -> {
      // ConnectionBase is Vert.x's own base of HTTP/1.x and HTTP/2 server connections: the only
      // way from a request to its channel (checked against vertx-core 5.0.10).
      if (request.connection() instanceof ConnectionBase connection) {
        Watcher watcher = connection.channel().attr(WATCHER).get();
        if (watcher != null) {
          watcher.headArrived(request);
        }
      }
      handler.handle(request);
    };
  }
}
