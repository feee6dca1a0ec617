package dev.portico.benchmarks.floor;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One client connection of the floor proxy: one exchange at a time, relayed to a pooled backend connection. */
final class FrontendHandler extends ChannelInboundHandlerAdapter {

  private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  private static final AsciiString HTTP = AsciiString.cached("http");
  private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
  private static final AsciiString[] HOP_BY_HOP = {HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
      PROXY_CONNECTION, HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE,
      HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION};

  private final Map<String, InetSocketAddress> routes;
  private final BackendPool.Connector connector;
  private ChannelHandlerContext ctx;
  private String clientAddress;

  // the exchange in flight
  private boolean inFlight;
  private boolean discarding;
  private boolean clientKeepAlive;
  private boolean requestDone;
  private boolean responseStarted;
  boolean reusableBackend;
  private InetSocketAddress target;
  private Channel backend;
  private List<Object> waitingForConnect;

  FrontendHandler(Map<String, InetSocketAddress> routes, BackendPool.Connector connector) {
    this.routes = routes;
    this.connector = connector;
  }

  @Override
  public void channelActive(ChannelHandlerContext context) {
    ctx = context;
    clientAddress = ((InetSocketAddress) context.channel().remoteAddress()).getAddress().getHostAddress();
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object msg) {
    if (msg instanceof HttpRequest request) {
      if (inFlight || request.decoderResult().isFailure()) {  // no pipelining here; a bad head ends the connection
        ReferenceCountUtil.release(msg);
        reply(inFlight ? HttpResponseStatus.TOO_MANY_REQUESTS : HttpResponseStatus.BAD_REQUEST, false);
        return;
      }
      clientKeepAlive = HttpUtil.isKeepAlive(request);
      target = route(request.headers().get(HttpHeaderNames.HOST));
      if (target == null) {
        ReferenceCountUtil.release(msg);
        discarding = !(msg instanceof LastHttpContent);
        reply(HttpResponseStatus.NOT_FOUND, clientKeepAlive);
        return;
      }
      toBackend(request);
      inFlight = true;
      requestDone = false;
      responseStarted = false;
      backend = connector.pool().take(target);
      if (backend == null) {
        connect();
      } else {
        ((BackendPool.BackendHandler) backend.pipeline().last()).bind(this);
      }
    } else if (discarding || !inFlight) {
      discarding &= !(msg instanceof LastHttpContent);
      ReferenceCountUtil.release(msg);
      return;
    }
    requestDone = msg instanceof LastHttpContent;
    if (backend == null) {
      waitingForConnect.add(msg);
    } else if (requestDone) {
      backend.writeAndFlush(msg, backend.voidPromise());
    } else {
      backend.write(msg, backend.voidPromise());
    }
  }

  private InetSocketAddress route(String host) {
    if (host == null) {
      return null;
    }
    int colon = host.indexOf(':');
    return routes.get((colon < 0 ? host : host.substring(0, colon)).toLowerCase(Locale.ROOT));
  }

  private void connect() {
    waitingForConnect = new ArrayList<>(2);
    ChannelFuture connecting = connector.connect(ctx.channel().eventLoop(), target);
    connecting.addListener((ChannelFutureListener) done -> {
      List<Object> queued = waitingForConnect;
      waitingForConnect = null;
      if (!done.isSuccess() || !ctx.channel().isActive()) {
        queued.forEach(ReferenceCountUtil::release);
        done.channel().close();
        if (inFlight) {
          backendFailed();
        }
        return;
      }
      backend = done.channel();
      ((BackendPool.BackendHandler) backend.pipeline().last()).bind(this);
      queued.forEach(part -> backend.write(part, backend.voidPromise()));
      if (requestDone) {
        backend.flush();
      }
    });
  }

  /** Hop-by-hop fields end here; the backend learns who asked, over a keep-alive HTTP/1.1 connection. */
  private void toBackend(HttpRequest request) {
    HttpHeaders headers = request.headers();
    removeHopByHop(headers);
    String forwardedFor = headers.get(X_FORWARDED_FOR);
    headers.set(X_FORWARDED_FOR, forwardedFor == null ? clientAddress : forwardedFor + ", " + clientAddress);
    headers.set(X_FORWARDED_PROTO, HTTP);
    request.setProtocolVersion(HttpVersion.HTTP_1_1);
  }

  private static void removeHopByHop(HttpHeaders headers) {
    String connection = headers.get(HttpHeaderNames.CONNECTION);
    if (connection != null) {
      for (String listed : connection.split(",")) {
        headers.remove(listed.trim());
      }
    }
    for (AsciiString name : HOP_BY_HOP) {
      headers.remove(name);
    }
  }

  void responsePart(Object part) {
    if (part instanceof HttpResponse response) {
      toClient(response);
    }
    ctx.write(part, ctx.voidPromise());
  }

  void responseEnd(HttpContent last, Channel from, boolean reusable) {
    if (last instanceof HttpResponse response) {
      toClient(response);
    }
    inFlight = false;
    backend = null;
    if (reusable) {
      connector.pool().giveBack(target, from);
    }
    if (clientKeepAlive) {
      ctx.writeAndFlush(last, ctx.voidPromise());
    } else {
      ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void toClient(HttpResponse response) {
    responseStarted = true;
    removeHopByHop(response.headers());
    if (!clientKeepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
  }

  /** The backend closed or sent garbage: 502 if the client has heard nothing yet, else the client's connection ends. */
  void backendFailed() {
    inFlight = false;
    backend = null;
    if (responseStarted) {
      ctx.close();
    } else {
      reply(HttpResponseStatus.BAD_GATEWAY, false);
    }
  }

  private void reply(HttpResponseStatus status, boolean keepAlive) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO);
    if (keepAlive) {
      ctx.writeAndFlush(response, ctx.voidPromise());
    } else {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    Channel abandoned = backend;
    backend = null;
    inFlight = false;
    if (abandoned != null) {  // mid-exchange: the backend's answer has no one to go to, so the connection is not reused
      ((BackendPool.BackendHandler) abandoned.pipeline().last()).bind(null);
      abandoned.close();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    context.close();
  }
}
