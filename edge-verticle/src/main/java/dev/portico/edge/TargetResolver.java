package dev.portico.edge;

import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Resolves targets given by host name to an address, following the CNAME chain itself so that it
 * can bound it: at most {@link #MAX_CNAME_LINKS} links, a loop is an error. Answers are cached for
 * the smallest TTL along the chain (at least {@link #MIN_TTL_S}, at most {@link #MAX_TTL_S});
 * concurrent look-ups of one name share one resolution. Queries go over UDP to the configured
 * resolver, with a random id checked on the answer, one retry after {@link #TIMEOUT_MS}.
 */
final class TargetResolver {

  static final int MAX_CNAME_LINKS = 10;
  static final long MIN_TTL_S = 1;
  static final long MAX_TTL_S = 3600;
  static final long TIMEOUT_MS = 2_000;
  private static final Logger LOG = LoggerFactory.getLogger(TargetResolver.class);

  private record Cached(String address, long expiresAtNanos) {
  }

  private final Vertx vertx;
  private final SocketAddress server;
  private final byte[] serverAddress;
  private final DatagramSocket socket;
  private final Map<Integer, Promise<DnsMessage.Response>> pending = new HashMap<>();
  private final Map<String, Cached> cache = new HashMap<>();
  private final Map<String, Future<String>> inFlight = new HashMap<>();

  /** A resolver asking {@code dnsResolver} ({@code host:port}, {@code [v6]:port}). */
  static TargetResolver of(Vertx vertx, String dnsResolver) {
    int colon = dnsResolver.lastIndexOf(':');
    String host = dnsResolver.substring(0, colon).replace("[", "").replace("]", "");
    return new TargetResolver(vertx, SocketAddress.inetSocketAddress(Integer.parseInt(dnsResolver.substring(colon + 1)),
        host));
  }

  TargetResolver(Vertx vertx, SocketAddress server) {
    this.vertx = vertx;
    this.server = server;
    this.serverAddress = NetUtil.createByteArrayFromIpAddressString(server.host());
    this.socket = vertx.createDatagramSocket();
    socket.handler(this::received);
  }

  Future<Void> start() {
    return socket.listen(0, "0.0.0.0").mapEmpty();
  }

  Future<Void> close() {
    return socket.close();
  }

  /** The address to connect to for {@code host}; fails with a message fit for the log. */
  Future<String> resolve(String host) {
    Cached cached = cache.get(host);
    if (cached != null && cached.expiresAtNanos - System.nanoTime() > 0) {
      return Future.succeededFuture(cached.address);
    }
    Future<String> running = inFlight.get(host);
    if (running != null) {
      return running;
    }
    Set<String> seen = new HashSet<>();
    seen.add(host);
    Future<String> resolution = follow(host, host, 0, seen, MAX_TTL_S).andThen(ar -> inFlight.remove(host));
    if (!resolution.isComplete()) {
      inFlight.put(host, resolution);
    }
    if (cache.size() > 10_000) {
      cache.clear();
    }
    return resolution;
  }

  private Future<String> follow(String host, String name, int links, Set<String> seen, long ttl) {
    return query(name, DnsMessage.A).compose(response -> {
      if (response.rcode() != 0) {
        return Future.failedFuture("the resolver answered rcode " + response.rcode() + " for " + name);
      }
      String current = name;
      int chain = links;
      long minTtl = ttl;
      for (boolean moved = true; moved; ) {
        moved = false;
        for (DnsMessage.Answer answer : response.answers()) {
          if (answer.type() == DnsMessage.CNAME && answer.name().equals(current)) {
            if (++chain > MAX_CNAME_LINKS) {
              return Future.failedFuture(host + " has more than " + MAX_CNAME_LINKS + " CNAME links");
            }
            if (!seen.add(answer.data())) {
              return Future.failedFuture(host + " has a CNAME loop at " + answer.data());
            }
            minTtl = Math.min(minTtl, answer.ttlSeconds());
            current = answer.data();
            moved = true;
            break;
          }
        }
      }
      for (DnsMessage.Answer answer : response.answers()) {
        if (answer.type() == DnsMessage.A && answer.name().equals(current)) {
          long seconds = Math.max(MIN_TTL_S, Math.min(minTtl, answer.ttlSeconds()));
          cache.put(host, new Cached(answer.data(), System.nanoTime() + seconds * 1_000_000_000L));
          return Future.succeededFuture(answer.data());
        }
      }
      if (!current.equals(name)) {
        return follow(host, current, chain, seen, minTtl);
      }
      return Future.failedFuture("no address for " + name + (name.equals(host) ? "" : " (from " + host + ")"));
    });
  }

  private Future<DnsMessage.Response> query(String name, int type) {
    return ask(name, type).recover(e -> ask(name, type));
  }

  private Future<DnsMessage.Response> ask(String name, int type) {
    int id;
    do {
      id = ThreadLocalRandom.current().nextInt(1 << 16);
    } while (pending.containsKey(id));
    Promise<DnsMessage.Response> answer = Promise.promise();
    int queryId = id;
    pending.put(queryId, answer);
    long timer = vertx.setTimer(TIMEOUT_MS, t -> {
      if (pending.remove(queryId) != null) {
        answer.tryFail("no answer from " + server + " within " + TIMEOUT_MS + " ms");
      }
    });
    socket.send(DnsMessage.query(queryId, name, type), server.port(), server.host())
        .onFailure(e -> answer.tryFail(e));
    return answer.future().andThen(ar -> {
      vertx.cancelTimer(timer);
      pending.remove(queryId);
    });
  }

  private void received(DatagramPacket packet) {
    // Only the configured resolver may answer (a random id alone is 16 bits against spoofing).
    if (packet.sender().port() != server.port() || !Arrays.equals(serverAddress,
        NetUtil.createByteArrayFromIpAddressString(packet.sender().hostAddress()))) {
      return;
    }
    DnsMessage.Response response;
    try {
      response = DnsMessage.decode(packet.data());
    } catch (IllegalArgumentException e) {
      LOG.debug("Ignoring a malformed DNS answer from {}: {}", packet.sender(), e.getMessage());
      return;
    }
    Promise<DnsMessage.Response> answer = pending.remove(response.id());
    if (answer != null) {
      answer.tryComplete(response);
    }
  }
}
