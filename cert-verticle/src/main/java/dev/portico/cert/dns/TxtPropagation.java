package dev.portico.cert.dns;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.dns.DnsClient;
import io.vertx.core.dns.DnsClientOptions;
import io.vertx.core.dns.DnsException;
import io.vertx.core.dns.DnsResponseCode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Waits until a TXT record a {@link DnsProvider} created can be seen where the CA will look: on
 * every authoritative name server of the zone (found through the resolver: the {@code NS} records
 * of the zone or, for a name delegated further up, of its closest parent that has some), or on the
 * name servers configured instead. Provider APIs answer before their name servers serve a change;
 * asking the CA to validate earlier fails the order.
 */
public final class TxtPropagation {

  /**
   * @param servers         {@code host:port} of the name servers to check instead of the
   *                        authoritative ones; empty to find those
   * @param resolver        {@code host:port} of the resolver that finds the authoritative servers
   * @param nameserverPort  the port authoritative servers answer on (53)
   * @param timeoutMs       longest wait for a record to be visible everywhere
   * @param intervalMs      pause between two rounds of queries
   */
  public record Options(List<String> servers, String resolver, int nameserverPort, long timeoutMs, long intervalMs) {
    public Options {
      servers = List.copyOf(servers);
    }
  }

  private static final long QUERY_TIMEOUT_MS = 3_000;

  private final Vertx vertx;
  private final Options options;
  private volatile boolean stopped;

  public TxtPropagation(Vertx vertx, Options options) {
    this.vertx = vertx;
    this.options = options;
  }

  /**
   * The longest {@link #await} takes: the timeout, one more round, and the queries finding the
   * name servers; a bound for callers that block on it.
   */
  public long longestWaitMs() {
    return options.timeoutMs() + options.intervalMs() + 4 * QUERY_TIMEOUT_MS;
  }

  /**
   * Succeeds once every name server answers {@code recordName} with all of {@code values}; fails
   * with a {@link DnsProviderException} saying what each server showed when the wait is over.
   */
  public Future<Void> await(String zone, String recordName, Collection<String> values) {
    long deadline = System.currentTimeMillis() + options.timeoutMs();
    Future<List<String>> servers = options.servers().isEmpty() ? authoritativeServers(zone, deadline)
        : Future.succeededFuture(options.servers());
    return servers.compose(found -> {
      List<DnsClient> clients = found.stream().map(server -> client(server, false)).toList();
      return poll(clients, found, recordName, Set.copyOf(values), deadline)
          .eventually(() -> Future.join(clients.stream().map(DnsClient::close).toList()));
    });
  }

  private Future<Void> poll(List<DnsClient> clients, List<String> servers, String recordName, Set<String> values,
      long deadline) {
    List<Future<List<String>>> answers = new ArrayList<>();
    for (DnsClient client : clients) {
      answers.add(client.resolveTXT(recordName));
    }
    return Future.join(answers).transform(all -> {
      List<String> missing = new ArrayList<>();
      for (int i = 0; i < servers.size(); i++) {
        Future<List<String>> answer = answers.get(i);
        if (answer.failed() || !answer.result().containsAll(values)) {
          missing.add(servers.get(i) + " (" + shown(answer) + ")");
        }
      }
      if (missing.isEmpty()) {
        return Future.succeededFuture();
      }
      if (stopped) {
        return Future.failedFuture(new DnsProviderException("stopped waiting for the TXT record " + recordName
            + ": the certificate role is stopping"));
      }
      if (System.currentTimeMillis() + options.intervalMs() > deadline) {
        return Future.failedFuture(new DnsProviderException("the TXT record " + recordName
            + " was not visible within " + options.timeoutMs() / 1000 + " s at " + String.join(", ", missing)));
      }
      Promise<Void> next = Promise.promise();
      vertx.setTimer(options.intervalMs(), t -> poll(clients, servers, recordName, values, deadline).onComplete(next));
      return next.future();
    });
  }

  /** What a name server's answer to the TXT query showed, for the timeout message. */
  private static String shown(Future<List<String>> answer) {
    if (answer.succeeded()) {
      return answer.result().isEmpty() ? "shows nothing" : "shows " + new TreeSet<>(answer.result());
    }
    if (answer.cause() instanceof DnsException refusal) {
      return refusal.code() == DnsResponseCode.NXDOMAIN ? "shows nothing" : "answers " + refusal.code().name();
    }
    return "does not answer";
  }

  /**
   * Ends the waits under way at their next round, with a failure: a stopping node withdraws its
   * records instead of waiting out the propagation timeout.
   */
  public void stop() {
    stopped = true;
  }

  /**
   * A lookup failure that may pass (no answer, SERVFAIL): tried again until the deadline, where
   * one that will not (REFUSED, say) fails the wait at once.
   */
  private static final class Unanswered extends RuntimeException {
    Unanswered(String message) {
      super(message, null, false, false);
    }
  }

  /** The addresses of the zone's name servers, through the resolver, asked again while it does not answer. */
  private Future<List<String>> authoritativeServers(String zone, long deadline) {
    return authoritativeServers(zone).recover(e -> {
      if (!(e instanceof Unanswered)) {
        return Future.failedFuture(e);
      }
      if (stopped || System.currentTimeMillis() + options.intervalMs() > deadline) {
        return Future.failedFuture(new DnsProviderException(e.getMessage()));
      }
      Promise<List<String>> again = Promise.promise();
      vertx.setTimer(options.intervalMs(), t -> authoritativeServers(zone, deadline).onComplete(again));
      return again.future();
    });
  }

  private Future<List<String>> authoritativeServers(String zone) {
    DnsClient resolver = client(options.resolver(), true);
    return nameServers(resolver, zone)
        .compose(names -> {
          List<Future<List<String>>> addresses = names.stream()
              .map(name -> resolver.resolveA(name).otherwise(List.of())).toList();
          return Future.join(addresses).map(v -> {
            List<String> servers = new ArrayList<>();
            addresses.forEach(found -> found.result().forEach(ip -> servers.add(ip + ":" + options.nameserverPort())));
            return servers;
          });
        })
        .compose(servers -> servers.isEmpty()
            ? Future.<List<String>>failedFuture(new DnsProviderException("no name server of " + zone
                + " has an IPv4 address through the resolver " + options.resolver()))
            : Future.succeededFuture(servers))
        .eventually(resolver::close);
  }

  /** The NS names of {@code zone}, or of its closest parent that has some. */
  private Future<List<String>> nameServers(DnsClient resolver, String zone) {
    return resolver.resolveNS(zone).recover(e -> {
      // no such name (a name under the zone): look further up; any other failure is the resolver's
      if (e instanceof DnsException refusal && refusal.code() == DnsResponseCode.NXDOMAIN) {
        return Future.succeededFuture(List.of());
      }
      String why = "the resolver " + options.resolver() + " cannot tell the name servers of " + zone + ": "
          + (e instanceof DnsException refusal ? "it answers " + refusal.code().name() : "no answer");
      boolean mayPass = !(e instanceof DnsException refusal) || refusal.code() == DnsResponseCode.SERVFAIL;
      return Future.failedFuture(mayPass ? new Unanswered(why) : new DnsProviderException(why));
    }).compose(names -> {
      if (!names.isEmpty()) {
        return Future.succeededFuture(names);
      }
      int dot = zone.indexOf('.');
      if (dot < 0) {
        return Future.failedFuture(new DnsProviderException("no name servers found for " + zone
            + " through the resolver " + options.resolver()));
      }
      return nameServers(resolver, zone.substring(dot + 1));
    });
  }

  private DnsClient client(String hostAndPort, boolean recursive) {
    int colon = hostAndPort.lastIndexOf(':');
    return vertx.createDnsClient(new DnsClientOptions()
        .setHost(hostAndPort.substring(0, colon).replace("[", "").replace("]", ""))
        .setPort(Integer.parseInt(hostAndPort.substring(colon + 1)))
        .setQueryTimeout(QUERY_TIMEOUT_MS)
        .setRecursionDesired(recursive));
  }
}
