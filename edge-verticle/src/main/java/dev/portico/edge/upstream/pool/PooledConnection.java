package dev.portico.edge.upstream.pool;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;

import java.io.IOException;

/**
 * One HTTP/1.1 connection to a backend, a Netty channel on the edge's own event loop: it carries
 * one {@link PooledCall} at a time and goes back to its {@link TargetPool} when a response ends
 * on a connection both sides keep alive. Every event reaches the call on the edge's context, on
 * the thread that read it: no hand-off, no future per request. One timer per connection, not per
 * request, watches the backend's silence and the idle time ({@link ConnectionClock}); what of a
 * response head the edge passes on is {@link ResponseFraming}'s to say.
 */
final class PooledConnection extends ChannelInboundHandlerAdapter {

  private final Channel channel;
  private final TargetPool pool;
  private final ContextInternal context;
  private final ConnectionClock clock;
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

  PooledConnection(Channel channel, TargetPool pool, ContextInternal context, long keepAliveMs) {
    this.channel = channel;
    this.pool = pool;
    this.context = context;
    this.clock = new ConnectionClock(this, channel, keepAliveMs);
  }

  boolean isOpen() {
    return channel.isActive();
  }

  /** The call the connection carries now, or null. */
  PooledCall inFlight() {
    return call;
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
    clock.callStarted(next.readTimeoutNanos());
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
    channel.writeAndFlush(content).addListener(f -> clock.activity()).addListener(written);
    return written.future();
  }

  boolean writable() {
    return channel.isWritable();
  }

  void autoRead(boolean on) {
    channel.config().setAutoRead(on);
    if (on) {
      clock.activity();  // the clock stood while the edge did not read
      channel.read();
    }
  }

  /** Drops the connection: the backend sees the request cut off (never a complete one). */
  void abort() {
    channel.close();
  }

  /** The decoder got bytes (maybe not yet a whole message). */
  void spoke() {
    clock.activity();
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
      String refused = ResponseFraming.refusal(response);
      if (refused != null) {
        ReferenceCountUtil.release(msg);
        failCall(new BackendProtocolException(refused));
        return;
      }
      ResponseFraming.dropLengthUnderCoding(response);
      int status = response.status().code();
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
          clock.activity();
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
    clock.stop();
    failCall(new IOException("the backend closed the connection"), !spoke);
    pool.closed(this);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    failCall(cause, cause instanceof IOException && !spoke);  // a reset is a close too
  }

  /** Fails the call in flight, if any, and drops the connection. */
  void failCall(Throwable cause) {
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

  /** Called by the pool when the connection goes idle: the keep-alive time runs from now. */
  void idle() {
    clock.idle();
  }
}
