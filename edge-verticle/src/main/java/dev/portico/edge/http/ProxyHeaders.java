package dev.portico.edge.http;

import dev.portico.contract.FieldSyntax;
import dev.portico.edge.LogSafe;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The header rules of a gateway (RFC 9110 section 7.6): hop-by-hop fields, and those the
 * {@code Connection} field names, end at the proxy; the backend is told who asked and how with
 * {@code X-Forwarded-For}, {@code -Proto} and {@code -Host}, and that the request passed here
 * with {@code Via}. The edge frames what it forwards itself: a client's Content-Length and
 * Transfer-Encoding never reach the backend, nor a backend's invalid fields the client.
 */
final class ProxyHeaders {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyHeaders.class);

  /**
   * This process's pseudonym in {@code Via} (RFC 9110 7.6.3): random, so a request that arrives
   * carrying it has gone round a loop back to this very process (a site whose target leads to the
   * edge itself), while one that passed through another Portico is not mistaken for one.
   */
  static final String VIA_NAME = "portico-" + HexFormat.of().toHexDigits(new SecureRandom().nextInt());
  private static final String VIA_HTTP_1_0 = "1.0 " + VIA_NAME;
  private static final String VIA_HTTP_1_1 = "1.1 " + VIA_NAME;
  private static final String VIA_HTTP_2 = "2 " + VIA_NAME;

  private static final CharSequence VIA = HttpHeaders.createOptimized("Via");
  private static final CharSequence X_FORWARDED_FOR = HttpHeaders.createOptimized("X-Forwarded-For");
  private static final CharSequence X_FORWARDED_PROTO = HttpHeaders.createOptimized("X-Forwarded-Proto");
  private static final CharSequence X_FORWARDED_HOST = HttpHeaders.createOptimized("X-Forwarded-Host");
  private static final CharSequence HTTP = HttpHeaders.createOptimized("http");
  private static final CharSequence HTTPS = HttpHeaders.createOptimized("https");

  private ProxyHeaders() {
  }

  /**
   * The headers to send to the backend for {@code request}, which asked for {@code authority}
   * (canonical: see {@link #canonicalAuthority}), and whose head {@link RequestHeadValidator}
   * accepted: every name and value copied here is a valid field. For a WebSocket upgrade the
   * {@code Upgrade} and {@code Connection} fields are kept, since they are what is being forwarded.
   */
  static MultiMap toBackend(HttpServerRequest request, String authority, String client, boolean upgrade) {
    MultiMap in = request.headers();
    MultiMap out = HttpHeaders.headers();
    String connection = connectionList(in);
    String forwardedFor = null;
    for (Iterator<? extends Map.Entry<? extends CharSequence, ? extends CharSequence>> fields = HeadFields.of(in);
        fields.hasNext(); ) {
      Map.Entry<? extends CharSequence, ? extends CharSequence> header = fields.next();
      CharSequence name = header.getKey();
      if (isHopByHop(name) || isListedIn(connection, name) || isSetByProxy(name)) {
        if (AsciiString.contentEqualsIgnoreCase(name, X_FORWARDED_FOR)) {
          String value = header.getValue().toString();
          forwardedFor = forwardedFor == null ? value : forwardedFor + ", " + value;
        }
        continue;
      }
      out.add(name, header.getValue());
    }
    out.set(HttpHeaders.HOST, authority);
    String peer = client == null ? "unknown" : client;
    out.set(X_FORWARDED_FOR, forwardedFor == null ? peer : forwardedFor + ", " + peer);
    out.set(X_FORWARDED_PROTO, request.isSSL() ? HTTPS : HTTP);
    out.set(X_FORWARDED_HOST, authority);
    out.add(VIA, switch (request.version()) {
      case HTTP_1_0 -> VIA_HTTP_1_0;
      case HTTP_2 -> VIA_HTTP_2;
      default -> VIA_HTTP_1_1;
    });
    if (upgrade) {
      out.set(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE);
      out.set(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET);  // what was checked, whatever else the client listed
    }
    return out;
  }

  /** Whether {@code request} passed through this process before: its {@code Via} names it. */
  static boolean hasLooped(HttpServerRequest request) {
    MultiMap headers = request.headers();
    if (!headers.contains(VIA)) {
      return false;
    }
    for (String via : headers.getAll(VIA)) {
      if (via.contains(VIA_NAME)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The authority sent on as {@code Host} and {@code X-Forwarded-Host}: the canonical host (lower
   * case, no trailing dot) with the port the client asked for, if any.
   */
  static String canonicalAuthority(String host, String authority) {
    int colon = authority.indexOf(':', authority.lastIndexOf(']') + 1);
    return colon < 0 ? host : host + authority.substring(colon);
  }

  /**
   * Copies a backend response's end-to-end headers to the client's; {@code upgrade} (a 101)
   * keeps the hop-by-hop ones, which the switch needs. A field that is not valid HTTP is dropped
   * (the rest of the response is still good): a backend never frames the client's response.
   */
  static void toClient(MultiMap backend, MultiMap client, boolean upgrade) {
    String connection = connectionList(backend);
    for (Iterator<? extends Map.Entry<? extends CharSequence, ? extends CharSequence>> fields = HeadFields.of(backend);
        fields.hasNext(); ) {
      Map.Entry<? extends CharSequence, ? extends CharSequence> header = fields.next();
      CharSequence name = header.getKey();
      if (!FieldSyntax.isToken(name) || !FieldSyntax.isFieldValue(header.getValue())) {
        LOG.debug("Dropped an invalid field from a backend's response: {}: {}", LogSafe.of(name),
            LogSafe.of(header.getValue()));
      } else if (upgrade || (!isHopByHop(name) && !isListedIn(connection, name))) {
        client.add(name, header.getValue());
      }
    }
  }

  /**
   * Fields a trailer must not carry (RFC 9110 6.5.1: framing, routing, authentication, response
   * control, cookies, content metadata): a backend cannot smuggle them past the response's head,
   * where the edge and the site's rules saw them.
   */
  private static final Set<String> NOT_IN_TRAILERS = Set.of("content-length", "transfer-encoding", "host",
      "set-cookie", "cookie", "authorization", "proxy-authorization", "www-authenticate", "proxy-authenticate",
      "content-type", "content-encoding", "content-range", "cache-control", "expires", "location", "age", "date",
      "vary", "retry-after", "trailer", "te", "connection", "keep-alive", "upgrade", "strict-transport-security");

  /** Copies a backend's trailer fields to the client's: valid ones that may be trailers (gRPC's status, say). */
  static void trailersToClient(MultiMap backend, MultiMap client) {
    for (Map.Entry<String, String> field : backend) {
      String name = field.getKey();
      if (FieldSyntax.isToken(name) && FieldSyntax.isFieldValue(field.getValue())
          && !NOT_IN_TRAILERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        client.add(name, field.getValue());
      }
    }
  }

  static boolean isHopByHop(CharSequence name) {
    return switch (name.length()) {
      case 2 -> is(name, "te");
      case 7 -> is(name, "upgrade") || is(name, "trailer");
      case 10 -> is(name, "connection") || is(name, "keep-alive");
      case 14 -> is(name, "http2-settings");
      case 16 -> is(name, "proxy-connection");
      case 17 -> is(name, "transfer-encoding");
      default -> false;
    };
  }

  /**
   * Fields the proxy writes itself: {@code Host} and {@code X-Forwarded-Host} name what the client
   * asked for, {@code X-Forwarded-Proto} how, {@code Content-Length} is the edge's framing, and
   * {@code Expect} was answered here already (100-continue is handled by the server). A client's
   * {@code Forwarded} and {@code X-Real-IP} are dropped: the edge speaks for the client with
   * {@code X-Forwarded-*}, and a backend must not mistake a client's claim for the edge's.
   */
  private static boolean isSetByProxy(CharSequence name) {
    return switch (name.length()) {
      case 4 -> is(name, "host");
      case 6 -> is(name, "expect");
      case 9 -> is(name, "forwarded") || is(name, "x-real-ip");
      case 14 -> is(name, "content-length");
      case 15 -> is(name, "x-forwarded-for");
      case 16 -> is(name, "x-forwarded-host");
      case 17 -> is(name, "x-forwarded-proto");
      default -> false;
    };
  }

  /** Whether field name {@code name} is {@code lowerCase}, in any letter case. */
  private static boolean is(CharSequence name, String lowerCase) {
    return AsciiString.contentEqualsIgnoreCase(name, lowerCase);
  }

  /** Every Connection field of {@code headers} as one list value (a message may send several), or null. */
  private static String connectionList(MultiMap headers) {
    List<String> fields = headers.getAll(HttpHeaders.CONNECTION);
    return switch (fields.size()) {
      case 0 -> null;
      case 1 -> fields.get(0);
      default -> String.join(",", fields);
    };
  }

  /** Whether {@code connection} (the Connection fields' list, or null) lists {@code name}. */
  private static boolean isListedIn(String connection, CharSequence name) {
    return connection != null && FieldSyntax.lists(connection, name);
  }
}
