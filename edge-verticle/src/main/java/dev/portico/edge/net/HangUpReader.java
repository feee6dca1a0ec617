package dev.portico.edge.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;

import java.io.IOException;

/**
 * Closes a connection the edge has stopped reading from (back-pressure: the other side is slow)
 * when its peer resets it. On a hang-up (POLLRDHUP) Netty's io_uring channel (4.2.18) drains the
 * socket even while reads are off, but stops once the socket is empty, before the read that would
 * return the reset, and nothing wakes it again: the channel stays open, and with it the client's
 * slot in {@code PORTICO_MAX_CONNECTIONS_PER_ADDRESS}, until some timeout. (Epoll reads on to the
 * error by itself.) Such a drain is the only delivery nobody asked for; after one, this asks the
 * socket for its pending error (SO_ERROR) and closes the channel when the peer reset it. A peer
 * that only half-closed keeps its connection, as it may still wait for the answer.
 *
 * <p>First in the pipeline: it sees every read asked for, by whichever handler, and every delivery.
 */
public final class HangUpReader extends ChannelDuplexHandler {

  /** A read was asked for since the last read loop ended. */
  private boolean readAskedFor;
  /** This read loop delivered data while reads were off and none was asked for: a hang-up drain. */
  private boolean unasked;

  @Override
  public void read(ChannelHandlerContext ctx) {
    readAskedFor = true;
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!readAskedFor && !ctx.channel().config().isAutoRead()) {
      unasked = true;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    boolean drained = unasked;
    readAskedFor = false;
    unasked = false;
    ctx.fireChannelReadComplete();
    if (drained && ctx.channel().isActive() && peerReset(ctx.channel())) {
      ctx.close();
    }
  }

  private static boolean peerReset(Channel channel) {
    if (!(channel instanceof UnixChannel unix) || !(unix.fd() instanceof Socket socket)) {
      return false;
    }
    try {
      return socket.getSoError() != 0;
    } catch (IOException e) {
      return true;  // the socket is unusable: as good as reset
    }
  }
}
