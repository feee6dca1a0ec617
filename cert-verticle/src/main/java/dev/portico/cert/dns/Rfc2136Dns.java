package dev.portico.cert.dns;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CompletionException;

/**
 * Dynamic update (RFC 2136) of the zone's primary, signed with TSIG (RFC 8945): works with BIND,
 * Knot, PowerDNS and others. A challenge adds one TXT value and deletes exactly that value again
 * (RFC 2136 §2.5.4), so other values at the name stay. Answers must be NOERROR and carry a TSIG
 * that verifies. dnsjava sends asynchronously on its own I/O thread; completions come back on the
 * caller's Vert.x context. Bad credentials fail the calls, not the construction.
 */
final class Rfc2136Dns implements DnsProvider {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final long TTL = 60;

  private final Vertx vertx;
  private final String server;
  private final SimpleResolver resolver;
  private final String problem;

  Rfc2136Dns(Vertx vertx, JsonObject credentials) {
    this.vertx = vertx;
    this.server = credentials.getString("server", "");
    SimpleResolver made = null;
    String why = null;
    try {
      made = resolver(server, credentials);
    } catch (IllegalArgumentException | java.io.IOException e) {
      why = e.getMessage();
    }
    this.resolver = made;
    this.problem = why;
  }

  private static SimpleResolver resolver(String server, JsonObject credentials) throws java.io.IOException {
    String host = server;
    int port = 53;
    int colon = server.lastIndexOf(':');
    if (colon > 0 && server.indexOf(':') == colon || server.startsWith("[") && server.contains("]:")) {
      host = server.substring(0, colon).replace("[", "").replace("]", "");
      try {
        port = Integer.parseInt(server.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("server '" + server + "' has no valid port");
      }
    }
    // an address, not a name: resolving a name here would block the event loop
    if (!io.netty.util.NetUtil.isValidIpV4Address(host) && !io.netty.util.NetUtil.isValidIpV6Address(host)
        || port < 1 || port > 65535) {
      throw new IllegalArgumentException("server '" + server + "' is not an IP address with an optional port");
    }
    Name algorithm;
    try {
      algorithm = TSIG.algorithmToName(credentials.getString("keyAlgorithm", "").toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown keyAlgorithm '" + credentials.getString("keyAlgorithm")
          + "' (hmac-sha256, hmac-sha384, hmac-sha512, hmac-sha224, hmac-sha1, hmac-md5)");
    }
    byte[] secret;
    try {
      secret = Base64.getDecoder().decode(credentials.getString("keySecret", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("keySecret is not base64");
    }
    SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(host, port));
    resolver.setTSIGKey(new TSIG(algorithm, Name.fromString(absolute(credentials.getString("keyName", ""))), secret));
    resolver.setTimeout(TIMEOUT);
    return resolver;
  }

  @Override
  public Future<TxtRecord> addTxt(String zone, String recordName, String value) {
    return update("adding the TXT record " + recordName, zone, recordName, (update, name) ->
        update.add(new TXTRecord(name, DClass.IN, TTL, value)))
        .map(v -> new TxtRecord(zone, recordName, value, null));
  }

  @Override
  public Future<Void> removeTxt(TxtRecord record) {
    return update("deleting the TXT record " + record.name(), record.zone(), record.name(), (update, name) ->
        update.delete(new TXTRecord(name, DClass.IN, 0, record.value())));
  }

  private interface Change {
    void apply(Update update, Name recordName) throws Exception;
  }

  private Future<Void> update(String operation, String zone, String recordName, Change change) {
    if (problem != null) {
      return Future.failedFuture(new DnsProviderException("rfc2136: " + problem));
    }
    Message request;
    try {
      Update update = new Update(Name.fromString(absolute(zone)));
      change.apply(update, Name.fromString(absolute(recordName)));
      request = update;
    } catch (Exception e) {
      return Future.failedFuture(new DnsProviderException("rfc2136: " + operation + ": " + e.getMessage()));
    }
    Context context = vertx.getOrCreateContext();
    return Future.fromCompletionStage(resolver.sendAsync(request), context).transform(ar -> {
      if (ar.failed()) {
        Throwable cause = ar.cause() instanceof CompletionException wrapper && wrapper.getCause() != null
            ? wrapper.getCause() : ar.cause();
        String why = cause instanceof SocketTimeoutException ? "no answer within " + TIMEOUT.toSeconds() + " s"
            : cause.getClass().getSimpleName() + " " + cause.getMessage();
        return Future.failedFuture(new DnsProviderException("rfc2136: " + operation + " at " + server
            + " failed: " + why));
      }
      Message response = ar.result();
      TSIGRecord tsig = response.getTSIG();
      int rcode = response.getRcode();
      if (rcode != Rcode.NOERROR) {
        String tsigError = tsig != null && tsig.getError() != Rcode.NOERROR ? " " + Rcode.TSIGstring(tsig.getError()) : "";
        return Future.failedFuture(new DnsProviderException("rfc2136: " + operation + " refused by " + server
            + ": " + Rcode.string(rcode) + tsigError));
      }
      if (!response.isVerified()) {
        return Future.failedFuture(new DnsProviderException("rfc2136: " + operation + ": the answer of "
            + server + " carries no valid TSIG signature"));
      }
      return Future.succeededFuture();
    });
  }

  private static String absolute(String name) {
    return name.endsWith(".") ? name : name + ".";
  }
}
