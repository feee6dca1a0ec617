package dev.portico.benchmarks.floor;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The floor of a JVM reverse proxy on this machine, for the proxy benchmark only (issue 19): the
 * least an HTTP/1.1 proxy on Netty must do per request, to compare Portico (Vert.x's HTTP server
 * in front of its own backend pool) and nginx with. Netty's {@link HttpServerCodec} parses the
 * client's request; its {@code Host} is looked up in a {@link HashMap} of the bench's hosts; the
 * head, with the hop-by-hop fields removed and {@code X-Forwarded-For}/{@code -Proto} added, goes
 * to a keep-alive backend connection from a pool owned by the client connection's event loop
 * (no cross-thread hand-off); the response comes back the same way and is flushed once.
 *
 * <p>Not a product: no TLS, no HTTP/2, no timeouts, no back-pressure, no pipelining (a pipelined
 * request closes the connection), no logging, no metrics. What it costs is what any JVM proxy
 * built on Netty's HTTP/1.1 codecs costs at least.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.portico.benchmarks.floor.NettyFloorProxy \
 *     port event-loops hosts-file backend-host:port [epoll|io_uring|nio]</pre>
 * {@code bench/floor-target.sh} starts it with {@code bin/portico}'s JVM flags. The transport
 * (default epoll) is there to measure Netty's io_uring against epoll on the same proxy; one that
 * cannot start here ends the program rather than measure another one under its name.
 */
public final class NettyFloorProxy {

  private NettyFloorProxy() {
  }

  /** A Netty transport: its event loops' I/O handler and its channel classes. */
  private record Transport(String name, IoHandlerFactory io, Class<? extends ServerChannel> serverChannel,
                           Class<? extends SocketChannel> clientChannel) {

    static Transport named(String name) {
      return switch (name) {
        case "epoll" -> {
          Epoll.ensureAvailability();
          yield new Transport(name, EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class);
        }
        case "io_uring" -> {
          IoUring.ensureAvailability();
          yield new Transport(name, IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class,
              IoUringSocketChannel.class);
        }
        case "nio" -> new Transport(name, NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
        default -> throw new IllegalArgumentException("transport must be epoll, io_uring or nio: " + name);
      };
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 4 && args.length != 5) {
      System.err.println("usage: NettyFloorProxy <port> <event loops> <hosts file> <backend host:port> [epoll|io_uring|nio]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    int eventLoops = Integer.parseInt(args[1]);
    Map<String, InetSocketAddress> routes = routes(Path.of(args[2]), backend(args[3]));
    Transport transport = Transport.named(args.length == 5 ? args[4] : "epoll");
    EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, transport.io());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(eventLoops, transport.io());
    BackendPool.Connector connector = new BackendPool.Connector(transport.clientChannel());
    ServerBootstrap server = new ServerBootstrap()
        .group(acceptor, workers)
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            channel.pipeline().addLast(new HttpServerCodec(), new FrontendHandler(routes, connector));
          }
        });
    Channel listener = server.bind("127.0.0.1", port).sync().channel();
    System.out.printf("floor proxy on 127.0.0.1:%d, %d event loop(s), %s, %d hosts%n", port, eventLoops,
        transport.name(), routes.size());
    listener.closeFuture().sync();
  }

  private static InetSocketAddress backend(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  /** Every host of the bench (lower case) to the one backend, as a proxy's site table would hold them. */
  private static Map<String, InetSocketAddress> routes(Path hostsFile, InetSocketAddress backend) throws IOException {
    List<String> hosts = Files.readAllLines(hostsFile);
    Map<String, InetSocketAddress> routes = new HashMap<>(hosts.size() * 2);
    for (String host : hosts) {
      if (!host.isBlank()) {
        routes.put(host.strip().toLowerCase(Locale.ROOT), backend);
      }
    }
    return routes;
  }
}
