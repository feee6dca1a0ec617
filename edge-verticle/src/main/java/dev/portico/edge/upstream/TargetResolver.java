package dev.portico.edge.upstream;

import dev.portico.contract.IpAddresses;
import io.netty.channel.socket.SocketChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.VertxInternal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Resolves targets given by host name to an IPv4 address with Netty's {@link DnsNameResolver}
 * on the calling verticle's event loop, asking only the configured resolver (no hosts file, no
 * search domains): UDP with a TCP retry when an answer is truncated, random query ids and answers
 * accepted only from that resolver. A CNAME chain is followed at most {@link #MAX_CNAME_LINKS}
 * links (one query per link; a loop runs out of queries). Answers are cached for their TTL
 * (at least {@link #MIN_TTL_S}, at most {@link #MAX_TTL_S}; failures are not cached) for at most
 * {@link #MAX_CACHED_NAMES} names ({@link BoundedDnsCache}), concurrent
 * look-ups of one name share one resolution, and a look-up that got no answer within
 * {@link #TIMEOUT_MS} is asked once more.
 */
public final class TargetResolver {

  static final int MAX_CNAME_LINKS = 10;
  static final int MIN_TTL_S = 1;
  static final int MAX_TTL_S = 3600;
  static final long TIMEOUT_MS = 2_000;
  /** Names whose addresses (and, apart, whose CNAME links) one edge instance caches: tenants choose the names. */
  static final int MAX_CACHED_NAMES = 10_000;
  /** Names whose concurrent look-ups are shared; beyond this many at once, each looks up alone. */
  private static final int MAX_SHARED_LOOKUPS = 1024;

  private final ContextInternal context;
  private final DnsNameResolver resolver;

  /** A resolver for the calling verticle's event loop, asking {@code server} only. */
  /** A resolver asking {@code dnsResolver} ({@code host:port}, {@code [v6]:port}). */
  public static TargetResolver of(Vertx vertx, String dnsResolver) {
    int colon = dnsResolver.lastIndexOf(':');
    String host = dnsResolver.substring(0, colon).replace("[", "").replace("]", "");
    return new TargetResolver(vertx, new InetSocketAddress(host, Integer.parseInt(dnsResolver.substring(colon + 1))));
  }

  public TargetResolver(Vertx vertx, InetSocketAddress server) {
    this.context = (ContextInternal) vertx.getOrCreateContext();
    VertxInternal internal = (VertxInternal) vertx;
    this.resolver = new DnsNameResolverBuilder(context.nettyEventLoop())
        .datagramChannelFactory(() -> internal.transport().datagramChannel())
        .socketChannelFactory(() -> (SocketChannel) internal.transport().channelFactory(false).newChannel())
        .nameServerProvider(new SingletonDnsServerAddressStreamProvider(server))
        .hostsFileEntriesResolver((host, types) -> null)
        .searchDomains(List.of())
        .resolvedAddressTypes(ResolvedAddressTypes.IPV4_ONLY)
        .resolveCache(new BoundedDnsCache(MAX_CACHED_NAMES, MIN_TTL_S, MAX_TTL_S))
        .cnameCache(BoundedDnsCache.cnames(MAX_CACHED_NAMES, MIN_TTL_S, MAX_TTL_S))
        .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
        .maxQueriesPerResolve(MAX_CNAME_LINKS + 1)
        .queryTimeoutMillis(TIMEOUT_MS)
        .consolidateCacheSize(MAX_SHARED_LOOKUPS)
        .build();
  }

  public void close() {
    resolver.close();
  }

  /** The address to connect to for {@code host}; fails with a message fit for the log. */
  public Future<String> resolve(String host) {
    return lookUp(host).recover(e -> e instanceof DnsNameResolverTimeoutException ? lookUp(host) : Future.failedFuture(e))
        .transform(ar -> ar.succeeded() ? Future.succeededFuture(IpAddresses.text(ar.result().getAddress()))
            : Future.failedFuture("no address for " + host + ": " + ar.cause().getMessage()));
  }

  private Future<InetAddress> lookUp(String host) {
    PromiseInternal<InetAddress> address = context.promise();
    resolver.resolve(host).addListener(address);
    return address.future();
  }
}
