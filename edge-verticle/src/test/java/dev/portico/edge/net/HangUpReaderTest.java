package dev.portico.edge.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real sockets on 127.0.0.1, no Vert.x: a server that stops reading a client's upload after a
 * while, as the edge does when the backend takes nothing, and a client that then resets.
 */
class HangUpReaderTest {

  private static final long PAUSE_AFTER = 100_000;

  private EventLoopGroup group;

  @AfterEach
  void stop() {
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"io_uring", "epoll"})
  void aResetOfAPausedConnectionClosesIt(String transport) throws Exception {
    PausingServer server = start(transport, true);
    SocketChannel client = fillUntilStuck(server);
    reset(client);
    assertTrue(server.closed.await(10, TimeUnit.SECONDS), "the server still holds the reset connection");
  }

  @ParameterizedTest
  @ValueSource(strings = {"io_uring", "epoll"})
  void aPausedConnectionStaysPaused(String transport) throws Exception {
    PausingServer server = start(transport, true);
    try (SocketChannel client = fillUntilStuck(server)) {
      long read = server.read.get();
      Thread.sleep(500);
      assertEquals(read, server.read.get(), "bytes read after the pause");
      assertTrue(read < 4 * PAUSE_AFTER, "read " + read + " bytes with reads off");
    }
  }

  /**
   * Why the handler exists: without it Netty's io_uring channel misses the reset. When this
   * fails, Netty mends it itself and {@link HangUpReader} can go.
   */
  @Test
  void ioUringAloneMissesTheReset() throws Exception {
    PausingServer server = start("io_uring", false);
    SocketChannel client = fillUntilStuck(server);
    reset(client);
    assertFalse(server.closed.await(3, TimeUnit.SECONDS), "Netty's io_uring channel now notices the reset");
  }

  private PausingServer start(String transport, boolean withHangUpReader) throws InterruptedException {
    boolean uring = transport.equals("io_uring");
    assumeTrue(uring ? IoUring.isAvailable() : Epoll.isAvailable(), transport + " is not available here");
    IoHandlerFactory io = uring ? IoUringIoHandler.newFactory() : EpollIoHandler.newFactory();
    Class<? extends ServerChannel> type = uring ? IoUringServerSocketChannel.class : EpollServerSocketChannel.class;
    group = new MultiThreadIoEventLoopGroup(1, io);
    PausingServer server = new PausingServer();
    Channel listener = new ServerBootstrap().group(group).channel(type)
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel channel) {
            if (withHangUpReader) {
              channel.pipeline().addFirst(new HangUpReader());
            }
            channel.pipeline().addLast(server);
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    server.address = (InetSocketAddress) listener.localAddress();
    return server;
  }

  /** Writes to the server until it takes nothing more: reads are off and the buffers are full. */
  private static SocketChannel fillUntilStuck(PausingServer server) throws IOException, InterruptedException {
    SocketChannel client = SocketChannel.open(server.address);
    client.configureBlocking(false);
    ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
    long written = 0;
    int stuck = 0;
    while (stuck < 3) {
      chunk.clear();
      int n = client.write(chunk);
      written += n;
      assertTrue(written < 1L << 30, "the server never stopped reading");
      stuck = n == 0 ? stuck + 1 : 0;
      if (n == 0) {
        Thread.sleep(100);
      }
    }
    assertTrue(server.read.get() >= PAUSE_AFTER, "the server read " + server.read.get());
    return client;
  }

  private static void reset(SocketChannel client) throws IOException {
    client.setOption(StandardSocketOptions.SO_LINGER, 0);
    client.close();
  }

  /** Counts what it reads and switches reads off after {@link #PAUSE_AFTER} bytes. */
  @io.netty.channel.ChannelHandler.Sharable
  private static final class PausingServer extends ChannelInboundHandlerAdapter {
    final AtomicLong read = new AtomicLong();
    final CountDownLatch closed = new CountDownLatch(1);
    volatile InetSocketAddress address;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf bytes = (ByteBuf) msg;
      if (read.addAndGet(bytes.readableBytes()) >= PAUSE_AFTER) {
        ctx.channel().config().setAutoRead(false);
      }
      bytes.release();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      closed.countDown();
    }
  }
}
