package dev.portico.edge.upstream.pool;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP/1.1 connection to a backend, a Netty channel on the edge's own event loop: it carries
 * one {@link PooledCall} at a time and goes back to its {@link TargetPool} when a response ends
 * on a connection both sides keep alive. Every event reaches the call on the edge's context, on
 * the thread that read it: no hand-off, no future per request.
 *
 * <p>One timer per connection, not per request, watches it: while a call is in flight it fails
 * the call after the backend stayed silent for the call's read timeout (the socket taking a piece
 * of the request body counts as activity; the clock stands while the edge has paused reading the
 * response for a slow client); while idle it closes the
 * connection after the keep-alive time. The timer is re-armed from the last activity when it
 * fires, so a busy connection schedules about one task per timeout period.
 */
final class PooledConnection extends ChannelInboundHandlerAdapter {

  private final Channel channel;
  private final TargetPool pool;
  private final ContextInternal context;
  private final long keepAliveNanos;
  private PooledCall call;
  /** An interim (1xx) head was read: the empty end the codec adds to it is not the response's end. */
  private boolean interim;
  /** Whether a call used this connection before (a backend may close a kept connection at any time). */
  private boolean used;
  /** Whether the backend sent any byte since the current call took the connection. */
  private boolean spoke;
  /**
   * A response ended in the current read on a connection both sides keep: it goes back to the
   * pool when the read is over, so bytes the backend sent beyond that response find no call (and
   * close the connection) instead of being read as the answer to the next one.
   */
  private boolean releasing;
  private long lastActivityNanos = System.nanoTime();
  private ScheduledFuture<?> timer;
  private long timerDueNanos;

  PooledConnection(Channel channel, TargetPool pool, ContextInternal context, long keepAliveMs) {
    this.channel = channel;
    this.pool = pool;
    this.context = context;
    this.keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(keepAliveMs);
  }

  boolean isOpen() {
    return channel.isActive();
  }

  /** Whether the response being read answers a HEAD (then it has no body, whatever its fields say). */
  boolean answersHead() {
    return call != null && call.request().method() == HttpMethod.HEAD;
  }

  /** Binds {@code next} to this connection; its head goes out with {@link #writeHead}. */
  void assign(PooledCall next) {
    call = next;
    boolean reused = used;
    used = true;
    spoke = false;
    lastActivityNanos = System.nanoTime();
    dueBy(lastActivityNanos + next.readTimeoutNanos());
    next.bound(this, reused);
  }

  /**
   * Writes the call's head framed for {@code bodyLength}; without a body, that is the whole
   * request and goes out at once, else it goes out with the first piece of the body.
   */
  void writeHead(RequestHead head, long bodyLength) {
    Framing.set(head.headers(), bodyLength);
    io.netty.handler.codec.http.HttpMethod method = head.method().toNetty();
    HttpRequest request = bodyLength == PooledCall.NO_BODY
        ? new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, head.uri(), Unpooled.EMPTY_BUFFER, head.headers(),
            EmptyHttpHeaders.INSTANCE)
        : new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, head.uri(), head.headers());
    if (bodyLength == PooledCall.NO_BODY) {
      channel.writeAndFlush(request, channel.voidPromise());
    } else {
      channel.write(request, channel.voidPromise());
    }
  }

  /** Writes a piece of the request body; the future completes when the socket took it. */
  Future<Void> writeBody(ByteBuf chunk, boolean last) {
    PromiseInternal<Void> written = context.promise();
    HttpContent content = last ? new io.netty.handler.codec.http.DefaultLastHttpContent(chunk)
        : new DefaultHttpContent(chunk);
    channel.writeAndFlush(content).addListener(f -> lastActivityNanos = System.nanoTime()).addListener(written);
    return written.future();
  }

  boolean writable() {
    return channel.isWritable();
  }

  void autoRead(boolean on) {
    channel.config().setAutoRead(on);
    if (on) {
      lastActivityNanos = System.nanoTime();  // the clock stood while the edge did not read
      channel.read();
    }
  }

  /** Drops the connection: the backend sees the request cut off (never a complete one). */
  void abort() {
    channel.close();
  }

  /** The decoder got bytes (maybe not yet a whole message). */
  void spoke() {
    lastActivityNanos = System.nanoTime();
    spoke = true;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    PooledCall current = call;
    if (current == null || !current.headWritten()) {
      ReferenceCountUtil.release(msg);  // bytes nobody asked for: the connection cannot be trusted
      releasing = false;
      if (current == null) {
        channel.close();
      } else {
        failCall(new BackendProtocolException("the backend spoke before it was asked"));
      }
      return;
    }
    if (msg instanceof HttpObject object && object.decoderResult().isFailure()) {
      ReferenceCountUtil.release(msg);
      failCall(new BackendProtocolException("malformed response: " + object.decoderResult().cause().getMessage()));
      return;
    }
    if (msg instanceof HttpResponse response) {
      int status = response.status().code();
      if (status < 100 || status > 599) {
        ReferenceCountUtil.release(msg);
        failCall(new BackendProtocolException("status " + status + " is not an HTTP status"));
        return;
      }
      if (!ResponseFraming.readAsSent(response)) {
        ReferenceCountUtil.release(msg);
        failCall(new BackendProtocolException("a Transfer-Encoding the codec may have read otherwise than sent"));
        return;
      }
      if (ResponseFraming.bothFramings(response)) {
        // whatever the version, the body is read chunked: the length must not reach the client,
        // and what follows the body cannot be trusted (RFC 9112 6.3)
        response.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
        HttpUtil.setKeepAlive(response, false);
      }
      if (status < 200) {
        // 101 was not asked for (upgrades do not come here); other interim answers (103) are dropped
        ReferenceCountUtil.release(msg);
        if (status == 101) {
          failCall(new BackendProtocolException("101 Switching Protocols to a request that asked for no upgrade"));
        } else {
          interim = true;
        }
        return;
      }
      context.dispatch(response, current::head);
    }
    if (interim && msg instanceof LastHttpContent) {
      interim = false;
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpContent content && call == current) {
      context.dispatch(content.content(), current::content);
      if (msg instanceof LastHttpContent) {
        call = null;
        boolean keep = current.reusable();
        context.dispatch(null, current::ended);
        if (keep && channel.isActive()) {
          lastActivityNanos = System.nanoTime();
          releasing = true;
        } else {
          channel.close();
        }
      }
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (releasing) {
      releasing = false;
      // the start of a response nobody asked for may wait in the decoder: not a clean end either;
      // nor one that ended while the edge had stopped reading (its client was slow): what the
      // backend sent after it still waits in the socket, where only a read would find it
      if (channel.isActive() && channel.config().isAutoRead()
          && !ctx.pipeline().get(ResponseDecoder.class).holdsBytes()) {
        pool.release(this);
      } else {
        channel.close();
      }
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (call != null && channel.isWritable()) {
      context.dispatch(null, call::drained);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    failCall(new IOException("the backend closed the connection"), !spoke);
    pool.closed(this);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    failCall(cause, cause instanceof IOException && !spoke);  // a reset is a close too
  }

  private void failCall(Throwable cause) {
    failCall(cause, false);
  }

  /** {@code unanswered}: the connection broke before the backend sent a byte for the call. */
  private void failCall(Throwable cause, boolean unanswered) {
    PooledCall current = call;
    call = null;
    channel.close();
    if (current != null) {
      context.dispatch(cause, unanswered ? current::closedUnanswered : current::failed);
    }
  }

  /**
   * The call gave up before it sent anything: the connection is as clean as when it was
   * assigned, so it goes back to the pool.
   */
  void unassign() {
    call = null;
    pool.release(this);
  }

  /** Makes sure the timer fires no later than {@code dueNanos}. */
  private void dueBy(long dueNanos) {
    if (timer != null && timerDueNanos - dueNanos <= 0) {
      return;
    }
    if (timer != null) {
      timer.cancel(false);
    }
    timerDueNanos = dueNanos;
    timer = channel.eventLoop().schedule(this::timerFired, Math.max(0, dueNanos - System.nanoTime()),
        TimeUnit.NANOSECONDS);
  }

  private void timerFired() {
    timer = null;
    if (!channel.isActive()) {
      return;
    }
    long idleFor = call == null ? keepAliveNanos : call.readTimeoutNanos();
    // while the edge does not read (its client is slow), the backend's silence is not the backend's
    long due = (call != null && !channel.config().isAutoRead() ? System.nanoTime() : lastActivityNanos) + idleFor;
    if (due - System.nanoTime() > 0) {
      dueBy(due);
    } else if (call != null) {
      failCall(new TimeoutException("the backend sent nothing for " + TimeUnit.NANOSECONDS.toMillis(idleFor) + " ms"));
    } else {
      channel.close();
    }
  }

  /** Called by the pool when the connection goes idle: the keep-alive time runs from now. */
  void idle() {
    dueBy(lastActivityNanos + keepAliveNanos);
  }
}
