package dev.portico.edge.upstream;

import dev.portico.contract.Target;
import dev.portico.edge.upstream.client.BackendClients;
import dev.portico.edge.upstream.pool.ConnectionPools;
import dev.portico.edge.upstream.pool.PoolBusyException;
import dev.portico.edge.upstream.pool.RequestHead;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;

/**
 * The edge's connections to backends: the one seam between the request path and the HTTP
 * client. Everything the request path does with a backend goes through {@link #open},
 * {@link BackendCall} and {@link BackendResponse}. Requests to {@code host:port} targets travel
 * on the edge's own {@link ConnectionPools} (plain Netty channels on the event loop that serves
 * the client: no hand-off, no pool machinery per request); requests to {@code https://} and
 * {@code h2c://} targets on Vert.x's client ({@link BackendClients}: TLS, HTTP/2, trailers), as
 * do WebSocket handshakes, since Vert.x's client owns the switch of a connection to a raw socket
 * after the 101.
 */
public final class Backends {

  private final ConnectionPools pools;
  private final HttpClient upgrades;
  private final BackendClients clients;

  public Backends(ConnectionPools pools, HttpClient upgrades, BackendClients clients) {
    this.pools = pools;
    this.upgrades = upgrades;
    this.clients = clients;
  }

  /**
   * Asks for a connection for {@code request} and sends nothing yet; the call's
   * {@link BackendCall#ready} fails when no connection could be had (refused, timed out, TLS
   * refused: a failure a retry elsewhere may help with; or {@link #busy}).
   */
  public BackendCall open(BackendRequest request) {
    BackendCall call = new BackendCall();
    if (request.upgrade() || request.target().protocol() != Target.Protocol.HTTP) {
      openOnClient(request).onComplete(ar -> {
        if (ar.succeeded()) {
          call.onClient(ar.result(), request.upgrade());
        } else {
          call.failed(ar.cause());
        }
      });
      return call;
    }
    HeadersMultiMap headers = request.headers() instanceof HeadersMultiMap own ? own
        : HeadersMultiMap.httpHeaders().setAll(request.headers());
    call.forwarding(pools.open(new RequestHead(request.address(), request.port(), request.method(), request.uri(),
        headers, (int) Math.min(Integer.MAX_VALUE, request.connectTimeoutMs()), request.idleTimeoutMs(),
        request.proxyHeader()), ar -> {
          if (ar.succeeded()) {
            call.connected();
          } else {
            call.failed(ar.cause());
          }
        }));
    return call;
  }

  /**
   * Whether {@code failure} means the target is busy (every connection taken and too many
   * waiting, or the edge stopping) rather than failing: worth a 503, not a mark against it.
   */
  public static boolean busy(Throwable failure) {
    return failure instanceof PoolBusyException;
  }

  /**
   * On Vert.x's client: connects to the resolved address, names the target's host (or the site's
   * {@code serverName}) for SNI and the certificate check, and sends the client's authority as
   * {@code Host} (HTTP/1.1) or {@code :authority} (HTTP/2).
   */
  private Future<HttpClientRequest> openOnClient(BackendRequest request) {
    Target target = request.target();
    HttpClient client;
    try {
      // a WebSocket handshake is HTTP/1.1: to an h2c:// target in clear, to an https:// one without h2 in ALPN
      client = target.protocol() == Target.Protocol.HTTP || request.upgrade() && !target.protocol().tls() ? upgrades
          : clients.client(request.site(), target, request.upgrade() ? request.tls().http1Only() : request.tls());
    } catch (IllegalArgumentException unusable) {
      return Future.failedFuture(new IllegalStateException(unusable.getMessage()));
    }
    String name = request.tls().serverName() != null ? request.tls().serverName() : target.host();
    String authority = request.headers().get(HttpHeaders.HOST);
    request.headers().remove(HttpHeaders.HOST);
    RequestOptions options = new RequestOptions()
        .setServer(SocketAddress.inetSocketAddress(request.port(), request.address()))
        .setHost(name)
        .setPort(request.port())
        .setMethod(request.method())
        .setURI(request.uri())
        .setHeaders(request.headers())
        .setConnectTimeout(request.connectTimeoutMs())
        .setIdleTimeout(request.idleTimeoutMs());
    return client.request(options).map(sent -> {
      HostAndPort asked = authority == null ? null : HostAndPort.parseAuthority(authority, -1);
      if (asked != null) {
        sent.authority(asked);
      }
      return sent;
    });
  }

  /** Shuts down the clients of {@code site}: its TLS settings may have changed. */
  public void siteChanged(String site) {
    clients.siteChanged(site);
  }

  public Future<Void> close() {
    pools.close();
    return Future.join(upgrades.close(), clients.close()).mapEmpty();
  }
}
