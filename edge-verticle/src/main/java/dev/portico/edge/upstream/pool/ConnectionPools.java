package dev.portico.edge.upstream.pool;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoop;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The backend connections of one event loop (one edge verticle): plain Netty channels on the
 * verticle's own event loop, pooled per target address, so a request never crosses threads and
 * costs no pool machinery beyond a map look-up. Create it on the verticle's context and use it
 * from there only.
 *
 * <p>A connection that opened with a PROXY protocol header speaks for the one client connection
 * the header names: such connections are pooled apart, per header (as Envoy keys its pools by
 * the client's address), so a connection is reused for that client connection's next requests
 * and never for anyone else's. HAProxy does the same (its connections with {@code send-proxy}
 * are private to their client session). Such a pool goes with its last connection, at the
 * latest {@link PoolLimits#keepAliveMs} after the client's last request.
 *
 * <p>WebSocket upgrades do not come here: the edge keeps Vert.x's client for those.
 */
public final class ConnectionPools {

  private final ContextInternal context;
  private final PoolLimits options;
  private final ChannelFactory<? extends Channel> channelFactory;
  /** Pools by address; one address with several ports chains them ({@link TargetPool#next}). */
  private final Map<String, TargetPool> pools = new HashMap<>();
  /** Pools of connections that opened with a PROXY protocol header, by target and header. */
  private final Map<Proxied, TargetPool> proxied = new HashMap<>();
  private boolean closed;

  private record Proxied(String address, int port, ProxyHeader header) {
  }

  public ConnectionPools(Vertx vertx, PoolLimits options) {
    this.context = (ContextInternal) vertx.getOrCreateContext();
    this.options = options;
    this.channelFactory = ((VertxInternal) vertx).transport().channelFactory(false);
  }

  /**
   * Finds a pooled or new connection for {@code request}; {@code ready} gets the call once it has
   * one (then {@link PooledCall#send} it, stream the body into it, if any, and wait for its
   * {@link PooledCall#response}), or the failure to connect.
   */
  public PooledCall open(RequestHead request, Handler<AsyncResult<PooledCall>> ready) {
    TargetPool pool = request.proxyHeader() == null ? pooled(request) : proxied.computeIfAbsent(
        new Proxied(request.address(), request.port(), request.proxyHeader()),
        key -> new TargetPool(this, key.address(), key.port(), key.header()));
    PooledCall call = new PooledCall(request, pool, ready);
    if (closed) {
      call.failed(new PoolBusyException(request.address() + ":" + request.port(), "the edge is stopping"));
    } else {
      pool.acquire(call, false);
    }
    return call;
  }

  private TargetPool pooled(RequestHead request) {
    TargetPool pool = pools.get(request.address());
    TargetPool first = pool;
    while (pool != null && pool.port != request.port()) {
      pool = pool.next;
    }
    if (pool == null) {
      pool = new TargetPool(this, request.address(), request.port(), null);
      pool.next = first;
      pools.put(request.address(), pool);
    }
    return pool;
  }

  /** Connections open to {@code address}:{@code port} (busy and idle). */
  public int openConnections(String address, int port) {
    for (TargetPool pool = pools.get(address); pool != null; pool = pool.next) {
      if (pool.port == port) {
        return pool.openConnections();
      }
    }
    return 0;
  }

  /** Closes the idle connections and refuses new calls; calls in flight finish. */
  public void close() {
    closed = true;
    pools.values().forEach(first -> {
      for (TargetPool pool = first; pool != null; pool = pool.next) {
        pool.closeAll();
      }
    });
    List.copyOf(proxied.values()).forEach(TargetPool::closeAll);
  }

  void remove(TargetPool gone) {
    if (gone.proxyHeader != null) {
      proxied.remove(new Proxied(gone.address, gone.port, gone.proxyHeader));
      return;
    }
    TargetPool first = pools.get(gone.address);
    if (first == gone) {
      if (gone.next == null) {
        pools.remove(gone.address);
      } else {
        pools.put(gone.address, gone.next);
      }
      return;
    }
    for (TargetPool pool = first; pool != null; pool = pool.next) {
      if (pool.next == gone) {
        pool.next = gone.next;
        return;
      }
    }
  }

  PoolLimits options() {
    return options;
  }

  ContextInternal context() {
    return context;
  }

  EventLoop eventLoop() {
    return context.nettyEventLoop();
  }

  ChannelFactory<? extends Channel> channelFactory() {
    return channelFactory;
  }
}
