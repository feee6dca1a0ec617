package dev.portico.edge.upstream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.resolver.dns.DnsCache;
import io.netty.resolver.dns.DnsCacheEntry;
import io.netty.resolver.dns.DnsCnameCache;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The resolver's caches of addresses and CNAME links, each held in a Caffeine cache of at most
 * {@code maxNames} names. A tenant's site JSON decides which names are looked up, so Netty's own
 * caches (one map entry and one scheduled expiry task per record, unbounded) would let a tenant
 * grow the edge's memory at will. Each name expires after the smallest TTL of its records,
 * clamped to {@code [minTtl, maxTtl]} seconds; a name keeps at most {@link #MAX_ADDRESSES} addresses
 * (an answer with more is used but not cached); failures are never cached.
 */
final class BoundedDnsCache implements DnsCache {

  static final int MAX_ADDRESSES = 32;

  /** One name's addresses, living {@code ttl} from the last record added. */
  private record Addresses(List<Address> list, Duration ttl) {}

  private record Address(InetAddress address, Throwable cause) implements DnsCacheEntry {}

  private final Cache<String, Addresses> names;
  private final int minTtl;
  private final int maxTtl;

  BoundedDnsCache(int maxNames, int minTtl, int maxTtl) {
    this.minTtl = minTtl;
    this.maxTtl = maxTtl;
    this.names = Caffeine.newBuilder().maximumSize(maxNames).executor(Runnable::run)
        .expireAfter(Expiry.<String, Addresses>writing((name, addresses) -> addresses.ttl())).build();
  }

  /** A cache of CNAME links bounded the same way. */
  static DnsCnameCache cnames(int maxNames, int minTtl, int maxTtl) {
    return new CnameCache(maxNames, minTtl, maxTtl);
  }

  /** Names held now (after pending evictions ran). */
  long size() {
    names.cleanUp();
    return names.estimatedSize();
  }

  @Override
  public void clear() {
    names.invalidateAll();
  }

  @Override
  public boolean clear(String hostname) {
    return names.asMap().remove(key(hostname)) != null;
  }

  @Override
  public List<? extends DnsCacheEntry> get(String hostname, DnsRecord[] additionals) {
    if (!noAdditionals(additionals)) {
      return Collections.emptyList();
    }
    Addresses addresses = names.getIfPresent(key(hostname));
    return addresses == null ? null : addresses.list();
  }

  @Override
  public DnsCacheEntry cache(String hostname, DnsRecord[] additionals, InetAddress address, long originalTtl,
      EventLoop loop) {
    Address entry = new Address(address, null);
    if (noAdditionals(additionals)) {
      Duration ttl = ttl(originalTtl, minTtl, maxTtl);
      // the expiry of an update is that of the new value: the smallest TTL so far, counted from now
      names.asMap().compute(key(hostname), (name, held) -> {
        if (held == null) {
          return new Addresses(List.of(entry), ttl);
        }
        if (held.list().size() >= MAX_ADDRESSES) {
          return held;
        }
        List<Address> list = new ArrayList<>(held.list());
        list.add(entry);
        return new Addresses(List.copyOf(list), held.ttl().compareTo(ttl) < 0 ? held.ttl() : ttl);
      });
    }
    return entry;
  }

  @Override
  public DnsCacheEntry cache(String hostname, DnsRecord[] additionals, Throwable cause, EventLoop loop) {
    return new Address(null, cause);
  }

  private static boolean noAdditionals(DnsRecord[] additionals) {
    return additionals == null || additionals.length == 0;
  }

  private static Duration ttl(long originalTtl, int minTtl, int maxTtl) {
    return Duration.ofSeconds(Math.max(minTtl, Math.min(maxTtl, originalTtl)));
  }

  /** Names with and without the root's dot are one name. */
  private static String key(String hostname) {
    return hostname.endsWith(".") ? hostname : hostname + '.';
  }

  /** CNAME links: name -> the name it points at, at most {@code maxNames}, each for its clamped TTL. */
  private static final class CnameCache implements DnsCnameCache {

    private record Link(String cname, Duration ttl) {}

    private final Cache<String, Link> links;
    private final int minTtl;
    private final int maxTtl;

    CnameCache(int maxNames, int minTtl, int maxTtl) {
      this.minTtl = minTtl;
      this.maxTtl = maxTtl;
      this.links = Caffeine.newBuilder().maximumSize(maxNames).executor(Runnable::run)
          .expireAfter(Expiry.<String, Link>writing((name, link) -> link.ttl())).build();
    }

    @Override
    public String get(String hostname) {
      Link link = links.getIfPresent(key(hostname));
      return link == null ? null : link.cname();
    }

    @Override
    public void cache(String hostname, String cname, long originalTtl, EventLoop loop) {
      links.put(key(hostname), new Link(cname, ttl(originalTtl, minTtl, maxTtl)));
    }

    @Override
    public void clear() {
      links.invalidateAll();
    }

    @Override
    public boolean clear(String hostname) {
      return links.asMap().remove(key(hostname)) != null;
    }
  }
}
