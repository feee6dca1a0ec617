package dev.portico.launcher;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Targets given by host name, resolved through CNAME chains served by a small authoritative DNS
 * server in the test (Netty's DNS codec on UDP 127.0.0.1): one link per answer, so the edge
 * follows each link itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DnsTargetTest {

  /** name -> "CNAME target" or "A address", with a TTL. */
  private record Entry(String cname, String address, long ttl) {
  }

  private final Map<String, Entry> zone = new ConcurrentHashMap<>();
  private final AtomicInteger queries = new AtomicInteger();
  private EventLoopGroup group;
  private Channel dns;
  private Harness harness;
  private int backend;

  @BeforeAll
  void start() throws Exception {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    dns = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel channel) {
        channel.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
            new SimpleChannelInboundHandler<DatagramDnsQuery>() {
              @Override
              protected void channelRead0(ChannelHandlerContext context, DatagramDnsQuery query) {
                answer(context, query);
              }
            });
      }
    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    int dnsPort = ((InetSocketAddress) dns.localAddress()).getPort();
    harness = new Harness(Map.of("PORTICO_DNS_RESOLVER", "127.0.0.1:" + dnsPort));
    backend = harness.namedBackend("named");
  }

  private void answer(ChannelHandlerContext context, DatagramDnsQuery query) {
    queries.incrementAndGet();
    DnsRecord question = query.recordAt(DnsSection.QUESTION);
    String name = question.name().endsWith(".") ? question.name().substring(0, question.name().length() - 1) : question.name();
    DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
    response.setRecursionDesired(true);
    response.addRecord(DnsSection.QUESTION, question);
    Entry entry = zone.get(name);
    if (entry != null && entry.cname != null) {
      ByteBuf target = Unpooled.buffer();
      for (String label : entry.cname.split("\\.")) {
        target.writeByte(label.length()).writeCharSequence(label, java.nio.charset.StandardCharsets.US_ASCII);
      }
      target.writeByte(0);
      response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.CNAME, entry.ttl, target));
    } else if (entry != null && question.type() == DnsRecordType.A) {
      try {
        response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.A, entry.ttl,
            Unpooled.wrappedBuffer(InetAddress.getByName(entry.address).getAddress())));
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
    context.writeAndFlush(response);
  }

  @AfterAll
  void stop() {
    harness.close();
    dns.close().syncUninterruptibly();
    group.shutdownGracefully();
  }

  /** {@code prefix1 -> prefix2 -> ... -> prefix<links> -> address}: a chain of that many CNAME links. */
  private String chain(String prefix, int links, long ttl) {
    for (int i = 1; i <= links; i++) {
      zone.put(prefix + i + ".test", new Entry(prefix + (i + 1) + ".test", null, ttl));
    }
    zone.put(prefix + (links + 1) + ".test", new Entry(null, "127.0.0.1", ttl));
    return prefix + "1.test";
  }

  private int status(String site, String target) {
    harness.putSite(site, "{\"targets\":[\"" + target + ":" + backend + "\"]}");
    return harness.get(site, "/").statusCode();
  }

  @Test
  void chainsOfOneAndTenLinksResolve() {
    assertEquals(200, status("one.example.net", chain("one-", 1, 60)));
    assertEquals(200, status("ten.example.net", chain("ten-", 10, 60)));
    assertEquals(200, status("direct.example.net", chain("direct-", 0, 60)));
  }

  @Test
  void elevenLinksAndLoopsAre502() {
    assertEquals(502, status("eleven.example.net", chain("eleven-", 11, 60)));
    zone.put("loop-a.test", new Entry("loop-b.test", null, 60));
    zone.put("loop-b.test", new Entry("loop-a.test", null, 60));
    assertEquals(502, status("loop.example.net", "loop-a.test"));
    assertEquals(502, status("nxdomain.example.net", "missing.test"));
  }

  @Test
  void answersAreCachedForTheirTtl() {
    String name = chain("ttl-", 1, 1);
    assertEquals(200, status("ttl.example.net", name));
    int asked = queries.get();
    assertEquals(200, harness.get("ttl.example.net", "/").statusCode());
    assertEquals(asked, queries.get(), "answered from the cache within the TTL");
    Harness.waitFor(() -> {
      harness.get("ttl.example.net", "/");
      return queries.get() > asked;
    }, 3_000);
    assertTrue(queries.get() - asked >= 2, "the chain is asked again after the TTL");
  }
}
