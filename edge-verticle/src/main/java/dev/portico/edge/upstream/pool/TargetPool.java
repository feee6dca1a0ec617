package dev.portico.edge.upstream.pool;

import dev.portico.edge.net.HangUpReader;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The connections of one event loop to one target address: idle ones are reused newest first
 * (the warmest, least likely to have been closed by the backend), at most
 * {@link PoolLimits#maxConnectionsPerTarget} are open at once, and requests beyond that wait
 * in a bounded queue for the next one freed.
 */
final class TargetPool {

  final String address;
  final int port;
  /** The header every connection of this pool opens with, or null: none. */
  final ProxyHeader proxyHeader;
  /** The next pool of the same address (another port): a short chain, see {@link ConnectionPools}. */
  TargetPool next;
  private final ConnectionPools owner;
  private final PoolLimits options;
  private final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
  private final ArrayDeque<PooledCall> waiting = new ArrayDeque<>();
  private int open;

  TargetPool(ConnectionPools owner, String address, int port, ProxyHeader proxyHeader) {
    this.owner = owner;
    this.proxyHeader = proxyHeader;
    this.options = owner.options();
    this.address = address;
    this.port = port;
  }

  /** Finds a connection for {@code call}; {@code fresh} skips the idle ones (a kept one just failed it). */
  void acquire(PooledCall call, boolean fresh) {
    if (!fresh) {
      PooledConnection connection;
      while ((connection = idle.pollLast()) != null) {
        if (connection.isOpen()) {
          connection.assign(call);
          return;
        }
      }
    }
    if (open < options.maxConnectionsPerTarget()) {
      connect(call);
    } else if (waiting.size() < options.maxWaitingPerTarget()) {
      waiting.add(call);
      long waitMs = call.request().connectTimeoutMs();
      call.waitAtMost(owner.eventLoop().schedule(() -> waitedTooLong(call, waitMs), waitMs, TimeUnit.MILLISECONDS));
    } else {
      call.failed(new PoolBusyException(address + ":" + port, "too many requests wait for a connection"));
    }
  }

  /** A response ended on a connection that stays open: the next waiting call takes it, or it idles. */
  void release(PooledConnection connection) {
    PooledCall call = nextWaiting();
    if (call != null) {
      connection.assign(call);
    } else if (idle.size() >= options.maxIdlePerTarget()) {
      connection.abort();
    } else {
      idle.addLast(connection);
      connection.idle();
    }
  }

  /** {@code call} no longer wants a connection (a linear scan: the queue is bounded). */
  void leave(PooledCall call) {
    waiting.remove(call);
    call.stopWaiting();
  }

  /** No connection freed up within the call's connect time: busy, as a full queue is. */
  private void waitedTooLong(PooledCall call, long waitMs) {
    if (waiting.remove(call)) {
      call.failed(new PoolBusyException(address + ":" + port, "no connection was free within " + waitMs + " ms"));
    }
  }

  void closed(PooledConnection connection) {
    open--;
    idle.remove(connection);
    PooledCall call = nextWaiting();
    if (call != null) {
      connect(call);
    } else if (open == 0) {
      owner.remove(this);
    }
  }

  int openConnections() {
    return open;
  }

  void closeAll() {
    PooledCall call;
    while ((call = nextWaiting()) != null) {
      call.failed(new PoolBusyException(address + ":" + port, "the edge is stopping"));
    }
    for (PooledConnection connection : idle.toArray(new PooledConnection[0])) {
      connection.abort();
    }
  }

  /** The oldest waiting call (a call that gives up leaves the queue at once: {@link #leave}). */
  private PooledCall nextWaiting() {
    PooledCall call = waiting.poll();
    if (call != null) {
      call.stopWaiting();
    }
    return call;
  }

  private void connect(PooledCall call) {
    open++;
    InetAddress ip = NetUtil.createInetAddressFromIpAddressString(address);
    Bootstrap bootstrap = new Bootstrap()
        .group(owner.eventLoop())
        .channelFactory(owner.channelFactory())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, call.request().connectTimeoutMs())
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            // Fields are not validated here: one invalid field must not cost the whole response.
            // The edge checks every field it passes on (ProxyHeaders.toClient) and drops the bad
            // ones; the framing fields are parsed (and refused when they disagree) by the codec.
            PooledConnection connection = new PooledConnection(channel, TargetPool.this, owner.context(),
                options.keepAliveMs());
            channel.pipeline().addLast(new HangUpReader());
            if (proxyHeader != null) {
              channel.pipeline().addLast(HAProxyMessageEncoder.INSTANCE);
            }
            HttpDecoderConfig decoding = new HttpDecoderConfig().setMaxHeaderSize(options.maxHeaderBytes())
                .setValidateHeaders(false).setHeadersFactory(ResponseDecoder.HEADERS)
                .setTrailersFactory(ResponseDecoder.HEADERS);
            channel.pipeline().addLast(new HttpRequestEncoder(), new ResponseDecoder(decoding, connection), connection);
          }
        });
    ChannelFuture connected = bootstrap.connect(new InetSocketAddress(ip, port));
    connected.addListener(f -> {
      if (call.abandoned()) {
        connected.channel().close();
      } else if (f.isSuccess()) {
        if (proxyHeader != null) {  // written before any request: the channel keeps write order
          connected.channel().write(proxyHeader.message(), connected.channel().voidPromise());
        }
        connected.channel().pipeline().get(PooledConnection.class).assign(call);
      } else {
        call.failed(f.cause());
      }
      if (!f.isSuccess()) {
        closedBeforeConnect();  // a channel that never connected fires no channelInactive
      }
    });
  }

  private void closedBeforeConnect() {
    open--;
    PooledCall next = nextWaiting();
    if (next != null) {
      connect(next);
    } else if (open == 0) {
      owner.remove(this);
    }
  }
}
