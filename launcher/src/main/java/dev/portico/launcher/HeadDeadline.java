package dev.portico.launcher;

import dev.portico.contract.RequestHeads;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The longest time a connection may take from the first byte of a request head to its end, so a
 * client sending a head a byte at a time (slowloris) cannot hold a connection for long. It
 * sits first in the channel's pipeline, where it sees every read (TLS records too: on HTTPS the
 * deadline starts with the ClientHello and covers the handshake), and is told by
 * {@link RequestHeads#reporting} when a head arrived. An idle keep-alive connection is the idle
 * timeout's business: the deadline starts with the first byte after a response, not at its end.
 *
 * <p>Cost per request: a time read and two field writes. At most one timer per connection is
 * pending; it is not cancelled when a head arrives but, when it fires, finds nothing to do (or
 * re-arms itself for what is left), like Netty's own idle handlers.
 *
 * <p>HTTP/2 connections are watched until their first request, upgraded (WebSocket) ones until their 101:
 * after that bytes flow for streams already open, and HTTP/2's own limits and the idle timeout
 * apply. Everything runs on the channel's event loop, where Vert.x also calls request handlers.
 */
final class HeadDeadline extends ChannelInboundHandlerAdapter implements RequestHeads.Watcher {

  private static final RateLimitedLog LOG = new RateLimitedLog(LoggerFactory.getLogger(HeadDeadline.class));

  private final long timeoutNanos;
  private ChannelHandlerContext context;
  /** When the head being read began, or 0: none is being read. */
  private long headStartedNanos;
  /** The last request whose head arrived (HTTP/1.x: the one being answered). */
  private HttpServerRequest current;
  private boolean done;
  private ScheduledFuture<?> check;

  HeadDeadline(long timeoutMs) {
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    context = ctx;
    ctx.channel().attr(RequestHeads.WATCHER).set(this);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (current != null && current.response().getStatusCode() == 101) {
      done = true;  // an upgraded connection (a WebSocket tunnel) carries no more request heads
    }
    if (headStartedNanos == 0 && !done && (current == null || current.response().ended())) {
      headStartedNanos = System.nanoTime() | 1;  // never 0, which means "none"
      if (check == null) {
        check = ctx.executor().schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
      }
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void headArrived(HttpServerRequest request) {
    headStartedNanos = 0;
    current = request;
    if (request.version() == HttpVersion.HTTP_2) {
      done = true;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    done = true;
    if (check != null) {
      check.cancel(false);
    }
    ctx.fireChannelInactive();
  }

  private void check() {
    check = null;
    if (headStartedNanos == 0 || done) {
      return;
    }
    long now = System.nanoTime();
    if (current != null && !current.response().ended()) {
      // the bytes were the current request's body (or a pipelined head, due once it is answered)
      headStartedNanos = now | 1;
      check = context.executor().schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
      return;
    }
    long left = headStartedNanos + timeoutNanos - now;
    if (left > 0) {
      check = context.executor().schedule(this::check, left, TimeUnit.NANOSECONDS);
      return;
    }
    LOG.info("Closed a connection from {}: no complete request head within {} ms", context.channel().remoteAddress(),
        TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
    if (context.pipeline().get("httpEncoder") != null) {
      FullHttpResponse timeout = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
          HttpResponseStatus.REQUEST_TIMEOUT, Unpooled.EMPTY_BUFFER);
      timeout.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE).setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
      context.channel().writeAndFlush(timeout).addListener(ChannelFutureListener.CLOSE);
    } else {
      context.channel().close();
    }
  }
}
