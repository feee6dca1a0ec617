package dev.portico.benchmarks.floor;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Idle keep-alive backend connections of one event loop, by backend address. Only that event
 * loop's thread touches it, and its connections are registered on that same loop, so a request
 * and its backend exchange never change threads.
 */
final class BackendPool {

  /** Opens backend connections on a given event loop. */
  static final class Connector {
    private final Bootstrap template;
    private final FastThreadLocal<BackendPool> pools = new FastThreadLocal<>() {
      @Override
      protected BackendPool initialValue() {
        return new BackendPool();
      }
    };

    Connector(Class<? extends SocketChannel> channelType) {
      template = new Bootstrap()
          .channel(channelType)
          .option(ChannelOption.TCP_NODELAY, true)
          .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
              channel.pipeline().addLast(new HttpClientCodec(), new BackendHandler());
            }
          });
    }

    /** The pool of the calling event loop's thread. */
    BackendPool pool() {
      return pools.get();
    }

    ChannelFuture connect(EventLoop loop, InetSocketAddress backend) {
      return template.clone(loop).connect(backend);
    }
  }

  private final Map<InetSocketAddress, ArrayDeque<Channel>> idle = new HashMap<>();

  /** An idle open connection to {@code backend}, or null. */
  Channel take(InetSocketAddress backend) {
    ArrayDeque<Channel> channels = idle.get(backend);
    if (channels == null) {
      return null;
    }
    Channel channel;
    while ((channel = channels.pollLast()) != null) {
      if (channel.isActive()) {
        return channel;
      }
    }
    return null;
  }

  void giveBack(InetSocketAddress backend, Channel channel) {
    idle.computeIfAbsent(backend, b -> new ArrayDeque<>()).addLast(channel);
  }

  /** Relays one backend connection's responses to the client exchange that holds it. */
  static final class BackendHandler extends ChannelInboundHandlerAdapter {
    private FrontendHandler owner;

    void bind(FrontendHandler frontend) {
      owner = frontend;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      FrontendHandler frontend = owner;
      if (frontend == null) {  // nothing was asked: a backend that talks out of turn is not reused
        ReferenceCountUtil.release(msg);
        ctx.close();
        return;
      }
      boolean reusable = true;
      if (msg instanceof HttpResponse response) {
        if (response.decoderResult().isFailure()) {
          ReferenceCountUtil.release(msg);
          owner = null;
          ctx.close();
          frontend.backendFailed();
          return;
        }
        frontend.reusableBackend = HttpUtil.isKeepAlive(response);
      }
      if (msg instanceof LastHttpContent) {
        owner = null;
        reusable = frontend.reusableBackend;
        frontend.responseEnd((HttpContent) msg, ctx.channel(), reusable);
        if (!reusable) {
          ctx.close();
        }
      } else {
        frontend.responsePart(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      FrontendHandler frontend = owner;
      owner = null;
      if (frontend != null) {
        frontend.backendFailed();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
