package dev.portico.launcher;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small authoritative DNS server for tests (Netty's DNS codec on 127.0.0.1, UDP and TCP on one
 * port): each name is a CNAME or an A record with a TTL, one link per answer, so the edge follows
 * each link itself. Names in {@link #tcpOnly} get a truncated UDP answer (TC set, no records), as
 * a server does when the answer is too large for a datagram; only a TCP query gets their records.
 */
final class TestDnsServer implements AutoCloseable {

  /** A name's record: {@code cname} to another name, or {@code address} for an A record. */
  record Entry(String cname, String address, long ttl) {
  }

  final Map<String, Entry> zone = new ConcurrentHashMap<>();
  final Set<String> tcpOnly = ConcurrentHashMap.newKeySet();
  final AtomicInteger queries = new AtomicInteger();
  final AtomicInteger tcpQueries = new AtomicInteger();
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel udp;
  private final Channel tcp;

  TestDnsServer() throws InterruptedException {
    udp = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel channel) {
        channel.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
            new SimpleChannelInboundHandler<DatagramDnsQuery>() {
              @Override
              protected void channelRead0(ChannelHandlerContext context, DatagramDnsQuery query) {
                context.writeAndFlush(answer(query, new DatagramDnsResponse(query.recipient(), query.sender(), query.id()),
                    true));
              }
            });
      }
    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    tcp = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class).childHandler(new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel channel) {
        channel.pipeline().addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(),
            new SimpleChannelInboundHandler<DnsQuery>() {
              @Override
              protected void channelRead0(ChannelHandlerContext context, DnsQuery query) {
                tcpQueries.incrementAndGet();
                context.writeAndFlush(answer(query, new DefaultDnsResponse(query.id()), false));
              }
            });
      }
    }).bind(udp.localAddress()).sync().channel();
  }

  /** {@code 127.0.0.1:<port>}, for {@code PORTICO_DNS_RESOLVER}. */
  String address() {
    return "127.0.0.1:" + ((InetSocketAddress) udp.localAddress()).getPort();
  }

  private DnsResponse answer(DnsQuery query, DnsResponse response, boolean overUdp) {
    queries.incrementAndGet();
    DnsRecord question = query.recordAt(DnsSection.QUESTION);
    String name = question.name().endsWith(".") ? question.name().substring(0, question.name().length() - 1) : question.name();
    response.setRecursionDesired(true);
    response.addRecord(DnsSection.QUESTION, question);
    Entry entry = zone.get(name);
    if (overUdp && tcpOnly.contains(name)) {
      response.setTruncated(true);
    } else if (entry != null && entry.cname != null) {
      ByteBuf target = Unpooled.buffer();
      for (String label : entry.cname.split("\\.")) {
        target.writeByte(label.length()).writeCharSequence(label, StandardCharsets.US_ASCII);
      }
      target.writeByte(0);
      response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.CNAME, entry.ttl, target));
    } else if (entry != null && question.type() == DnsRecordType.A) {
      try {
        response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.A, entry.ttl,
            Unpooled.wrappedBuffer(InetAddress.getByName(entry.address).getAddress())));
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
    return response;
  }

  @Override
  public void close() {
    udp.close().syncUninterruptibly();
    tcp.close().syncUninterruptibly();
    group.shutdownGracefully();
  }
}
