package dev.portico.launcher;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.ProtocolDetectionResult;
import io.netty.handler.codec.ProtocolDetectionState;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The first bytes of a connection to the edge's HTTP or HTTPS listener, before TLS and HTTP: a
 * PROXY protocol header (v1 or v2) is read from the sources {@link ProxyProtocolSettings} trusts
 * and refused from anyone else. The sender's header names the client ({@link ProxyHeaderAddress});
 * Vert.x is set up for such a connection only once that is known, as Vert.x's own
 * {@code setUseProxyProtocol} does (which would expect a header on every connection).
 *
 * <p>Bounded: a header is at most {@link #MAX_TLV_BYTES} of extensions past its addresses
 * (Netty's decoder refuses longer), and must be complete within the request head timeout of the
 * connection's start. Until it knows whether a header comes, the gate holds at most 12 bytes.
 */
final class ProxyHeaderGate extends ChannelInboundHandlerAdapter {

  /** Extensions (TLVs) a v2 header may carry: the balancer's ALPN, authority, unique id and TLS facts fit. */
  static final int MAX_TLV_BYTES = 2048;
  /** Bytes that tell a header from anything else (Netty's detection reads 12). */
  private static final int SIGNATURE_BYTES = 12;
  private static final RateLimitedLog REFUSALS = new RateLimitedLog(LoggerFactory.getLogger(ProxyHeaderGate.class));

  /** Where a connection comes from, as far as headers go. */
  enum Source { UNTRUSTED, TRUSTED_HEADER_REQUIRED, TRUSTED_HEADER_OPTIONAL }

  private final Source source;
  /** Vert.x's set-up, added once the header is read; null when it is in place already. */
  private final ChannelHandler vertx;
  private final ListenerGuards guards;
  private final long timeoutMs;
  private ByteBuf first;
  /** Whether a header was detected and Netty's decoder reads it. */
  private boolean decoding;
  private ScheduledFuture<?> deadline;

  ProxyHeaderGate(Source source, ChannelHandler vertx, ListenerGuards guards, long timeoutMs) {
    this.source = source;
    this.vertx = vertx;
    this.guards = guards;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (vertx != null) {  // no Vert.x idle timeout watches the connection yet
      deadline = ctx.executor().schedule(() -> refuse(ctx, "no complete PROXY protocol header within " + timeoutMs + " ms"),
          timeoutMs, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (deadline != null) {
      deadline.cancel(false);
    }
    if (first != null) {
      first.release();
      first = null;
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HAProxyMessage header) {
      try {
        admit(ctx, header);
      } finally {
        header.release();
      }
    } else if (msg instanceof ByteBuf bytes && !decoding) {
      detect(ctx, bytes);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof DecoderException) {
      // the decoder's messages quote the header: the log names the sender, never the bytes
      refuse(ctx, "a malformed or oversized PROXY protocol header");
    } else if (vertx == null) {
      ctx.fireExceptionCaught(cause);  // Vert.x is in place and handles it
    } else {
      ctx.close();  // a reset while the header was awaited
    }
  }

  private void detect(ChannelHandlerContext ctx, ByteBuf bytes) {
    if (first == null) {
      first = bytes;
    } else {
      first = ctx.alloc().compositeBuffer(2).addComponents(true, first, bytes);
    }
    ProtocolDetectionState state = signature(first).state();
    if (state == ProtocolDetectionState.NEEDS_MORE_DATA) {
      return;
    }
    ByteBuf held = first;
    first = null;
    if (state == ProtocolDetectionState.DETECTED && source != Source.UNTRUSTED) {
      decode(ctx, held);
    } else if (state == ProtocolDetectionState.DETECTED) {
      held.release();
      refuse(ctx, "a PROXY protocol header, but it is not in PORTICO_PROXY_PROTOCOL_FROM");
    } else if (source == Source.TRUSTED_HEADER_REQUIRED) {
      held.release();
      refuse(ctx, "no PROXY protocol header (PORTICO_PROXY_PROTOCOL_REQUIRED)");
    } else if (pass(ctx, null)) {
      ctx.fireChannelRead(held);
    } else {
      held.release();
    }
  }

  /** Puts Netty's decoder in front of the gate, to read this header and the rest of it as it comes. */
  private void decode(ChannelHandlerContext ctx, ByteBuf held) {
    decoding = true;
    HAProxyMessageDecoder decoder = new HAProxyMessageDecoder(MAX_TLV_BYTES);
    ctx.pipeline().addBefore(ctx.name(), "proxyHeaderDecoder", decoder);
    try {
      decoder.channelRead(ctx.pipeline().context(decoder), held);
    } catch (Exception e) {
      exceptionCaught(ctx, e);
    }
  }

  private void admit(ChannelHandlerContext ctx, HAProxyMessage header) {
    ProxyHeaderAddress client = ProxyHeaderAddress.of(header);
    if (client == null) {
      refuse(ctx, "a PROXY protocol header for a protocol other than TCP");
      return;
    }
    client.apply(ctx.channel());
    pass(ctx, client.source() == null ? null : client.source().getAddress());
  }

  /**
   * Hands the connection on: Vert.x (set up now if it was waiting) reads the rest. A connection
   * from a balancer counts against {@code client}, or the balancer's own address when the header
   * named none (or it sent none); false when that address is over its cap (the connection is closed).
   */
  private boolean pass(ChannelHandlerContext ctx, InetAddress client) {
    if (vertx != null) {
      InetAddress counted = client != null ? client : ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
      if (!guards.countClient(ctx.channel(), counted)) {
        return false;
      }
      ctx.pipeline().addLast(vertx);
    }
    ctx.pipeline().remove(this);
    return true;
  }

  private void refuse(ChannelHandlerContext ctx, String reason) {
    Channel channel = ctx.channel();
    // logged even when Netty's decoder closed the channel already (it does on a malformed header)
    REFUSALS.info("Closed a connection from {} to port {}: it sent {}", address(channel.remoteAddress()),
        ((InetSocketAddress) channel.localAddress()).getPort(), reason);
    channel.close();
  }

  /** A header's signature, decided early for the first byte of anything else (TLS, an HTTP method). */
  private static ProtocolDetectionResult<HAProxyProtocolVersion> signature(ByteBuf bytes) {
    if (bytes.readableBytes() < SIGNATURE_BYTES) {
      byte start = bytes.getByte(bytes.readerIndex());
      if (start != 'P' && start != '\r') {
        return ProtocolDetectionResult.invalid();
      }
    }
    return HAProxyMessageDecoder.detectProtocol(bytes);
  }

  private static String address(java.net.SocketAddress address) {
    return address instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(address);
  }
}
