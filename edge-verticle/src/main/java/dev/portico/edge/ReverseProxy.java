package dev.portico.edge;

import dev.portico.contract.HostName;
import dev.portico.contract.Site;
import dev.portico.contract.Target;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The edge's request handler: finds the site for the request's host and proxies the request to
 * one of the site's targets, streaming bodies both ways with back-pressure. Unknown hosts get 404
 * and are never proxied anywhere; a backend that refuses gets 502, one that is too slow 504.
 */
final class ReverseProxy implements Handler<HttpServerRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(ReverseProxy.class);
  private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");

  private static final String ACME_CHALLENGE_PATH = "/.well-known/acme-challenge/";

  private final RouteResolver routes;
  private final HttpClient backends;
  /** Whether this handler serves the HTTPS listener (else the plain HTTP one). */
  private final boolean tls;
  private final int httpsPort;
  private int nextTarget;

  ReverseProxy(RouteResolver routes, HttpClient backends, boolean tls, int httpsPort) {
    this.routes = routes;
    this.backends = backends;
    this.tls = tls;
    this.httpsPort = httpsPort;
  }

  @Override
  public void handle(HttpServerRequest request) {
    request.pause();
    String authority = authority(request);
    String host = HostName.canonical(authority);
    if (host == null) {
      LOG.info("400 for a request from {}: Host missing, repeated or malformed: {}", request.remoteAddress(),
          request.headers().getAll(HttpHeaders.HOST));
      reply(request, 400, "bad host", "The Host header is missing, repeated or malformed");
      return;
    }
    String uri = originForm(request, host);
    if (uri == null) {
      LOG.info("400 for {} from {}: request target names another host: {}", host, request.remoteAddress(), request.uri());
      reply(request, 400, "bad request target", "The request target is not a path on the requested host");
      return;
    }
    if (tls && !servesConnectionName(request, host)) {
      LOG.debug("421 for {}: the connection's certificate was chosen for another name", host);
      reply(request, 421, "misdirected request", "This connection was set up for another host name; open a new one for "
          + host);
      return;
    }
    if (request.method() == HttpMethod.CONNECT) {
      reply(request, 405, "method not allowed", "CONNECT is not supported: this is a reverse proxy");
      return;
    }
    Route route = routes.cached(host);
    if (route != null) {
      proxy(request, authority, host, uri, route);
      return;
    }
    routes.resolve(host).onComplete(ar -> {
      if (ar.succeeded()) {
        proxy(request, authority, host, uri, ar.result());
      } else {
        reply(request, 503, "routing unavailable", "The site for this host cannot be looked up right now");
      }
    });
  }

  /**
   * Whether {@code host} is the name the connection's certificate was chosen for: its SNI name,
   * or any host when the client sent none (it accepted the fallback certificate, which names no
   * site). HTTP/2 clients reuse a connection for every name its certificate covers (connection
   * coalescing): a request for another name must not reach that name's backend over it.
   */
  private static boolean servesConnectionName(HttpServerRequest request, String host) {
    String serverName = SniKeyManager.requestedServerName(request.connection().sslSession());
    return serverName == null || host.equals(HostName.canonical(serverName));
  }

  /** The authority the client asked for: the Host header, or HTTP/2's {@code :authority}. */
  private static String authority(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2) {
      HostAndPort authority = request.authority();
      return authority == null ? null : authority.port() < 0 ? authority.host() : authority.host() + ":" + authority.port();
    }
    List<String> hosts = request.headers().getAll(HttpHeaders.HOST);
    return hosts.size() == 1 ? hosts.get(0) : null;
  }

  /**
   * The request target to send to the backend: origin-form as received, {@code *} for OPTIONS,
   * or the path of an absolute-form target whose host is the requested one (RFC 9112 3.2.2);
   * {@code null} for anything else.
   */
  private static String originForm(HttpServerRequest request, String host) {
    String uri = request.uri();
    if (uri.startsWith("/") || (uri.equals("*") && request.method() == HttpMethod.OPTIONS)) {
      return uri;
    }
    int scheme = uri.indexOf("://");
    if (scheme < 0 || !(uri.regionMatches(true, 0, "http", 0, scheme) || uri.regionMatches(true, 0, "https", 0, scheme))) {
      return null;
    }
    int authorityStart = scheme + 3;
    int pathStart = authorityStart;
    while (pathStart < uri.length() && uri.charAt(pathStart) != '/' && uri.charAt(pathStart) != '?') {
      pathStart++;
    }
    if (!host.equals(HostName.canonical(uri.substring(authorityStart, pathStart)))) {
      return null;
    }
    String path = uri.substring(pathStart);
    return path.isEmpty() ? "/" : path.startsWith("?") ? "/" + path : path;
  }

  private void proxy(HttpServerRequest request, String authority, String host, String uri, Route route) {
    if (!route.isKnown()) {
      LOG.debug("404 for unknown host {}", host);
      reply(request, 404, "unknown site", "No site is configured for " + host);
      return;
    }
    Site site = route.site();
    if (site == null) {
      LOG.warn("502 for {}: site {} is invalid: {}", host, route.pattern(), route.problem());
      reply(request, 502, "site misconfigured", "The site for this host has an invalid configuration");
      return;
    }
    if (tls && site.tls() == Site.TlsMode.OFF) {
      reply(request, 421, "misdirected request", "The site " + host + " is not served over HTTPS");
      return;
    }
    if (!tls && site.redirectHttps() && site.tls() != Site.TlsMode.OFF && !uri.startsWith(ACME_CHALLENGE_PATH)) {
      redirectToHttps(request, host, uri);
      return;
    }
    List<Target> targets = site.targets();
    Target target = targets.get(targets.size() == 1 ? 0 : Math.floorMod(nextTarget++, targets.size()));
    boolean upgrade = request.canUpgradeToWebSocket();
    RequestOptions options = new RequestOptions()
        .setMethod(request.method())
        .setHost(target.host())
        .setPort(target.port())
        .setURI(uri)
        .setHeaders(ProxyHeaders.toBackend(request, authority, upgrade))
        .setConnectTimeout(site.connectTimeoutMs())
        .setIdleTimeout(site.readTimeoutMs());
    backends.request(options).onComplete(ar -> {
      if (ar.failed()) {
        failed(request, host, target, ar.cause());
      } else if (upgrade) {
        tunnel(request, host, target, ar.result());
      } else {
        forward(request, host, target, ar.result());
      }
    });
  }

  private void forward(HttpServerRequest request, String host, Target target, HttpClientRequest backendRequest) {
    backendRequest.exceptionHandler(e -> LOG.debug("Request to {} for {} failed: {}", target, host, e.getMessage()));
    Future<HttpClientResponse> sent;
    if (hasBody(request)) {
      sent = backendRequest.send(request);
    } else {
      sent = backendRequest.send();
      request.resume();
    }
    sent.onComplete(ar -> {
      if (ar.failed()) {
        failed(request, host, target, ar.cause());
        return;
      }
      HttpClientResponse backendResponse = ar.result();
      HttpServerResponse response = request.response();
      response.setStatusCode(backendResponse.statusCode());
      if (request.version() != HttpVersion.HTTP_2) {
        response.setStatusMessage(backendResponse.statusMessage());
      }
      ProxyHeaders.toClient(backendResponse.headers(), response.headers());
      relay(backendRequest, backendResponse, response);
    });
  }

  /**
   * A WebSocket (or other) upgrade: forward the handshake; on 101, splice the two connections,
   * with back-pressure both ways; otherwise relay the refusal as an ordinary response.
   */
  private void tunnel(HttpServerRequest request, String host, Target target, HttpClientRequest backendRequest) {
    backendRequest.connect().onComplete(ar -> {
      if (ar.failed()) {
        failed(request, host, target, ar.cause());
        return;
      }
      HttpClientResponse backendResponse = ar.result();
      HttpServerResponse response = request.response();
      response.setStatusCode(backendResponse.statusCode());
      if (backendResponse.statusCode() != 101) {
        ProxyHeaders.toClient(backendResponse.headers(), response.headers());
        request.resume();
        relay(backendRequest, backendResponse, response);
        return;
      }
      response.headers().addAll(backendResponse.headers());
      NetSocket backendSocket = backendResponse.netSocket();
      request.resume();
      request.toNetSocket().onComplete(client -> {
        if (client.failed()) {
          LOG.debug("Upgrade of {} failed: {}", host, client.cause().getMessage());
          backendSocket.close();
          return;
        }
        NetSocket clientSocket = client.result();
        clientSocket.pipeTo(backendSocket);
        backendSocket.pipeTo(clientSocket);
      });
    });
  }

  /**
   * Streams the backend's response body to the client, pausing the backend while the client's
   * connection cannot take more. (Vert.x's pipe does this too, but it keeps writing to a client
   * connection that closed, and fails; here a closed client stops the backend request at once.)
   */
  private static void relay(HttpClientRequest backendRequest, HttpClientResponse backendResponse,
      HttpServerResponse response) {
    if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
      response.setChunked(true);
    }
    response.closeHandler(v -> backendRequest.reset());
    backendResponse.exceptionHandler(e -> {
      LOG.debug("Response from the backend cut off: {}", e.getMessage());
      response.reset();
    });
    backendResponse.endHandler(v -> response.end());
    backendResponse.handler(chunk -> {
      if (response.closed()) {
        backendRequest.reset();
        return;
      }
      response.write(chunk);
      if (response.writeQueueFull()) {
        backendResponse.pause();
        response.drainHandler(v -> backendResponse.resume());
      }
    });
  }

  private static boolean hasBody(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2) {
      return !request.isEnded();
    }
    MultiMap headers = request.headers();
    String length = headers.get(HttpHeaders.CONTENT_LENGTH);
    return length != null ? !length.equals("0") : headers.contains(HttpHeaders.TRANSFER_ENCODING);
  }

  private static void failed(HttpServerRequest request, String host, Target target, Throwable cause) {
    boolean timeout = cause instanceof TimeoutException || cause instanceof ConnectTimeoutException;
    int status = timeout ? 504 : 502;
    LOG.warn("{} for {} {}{}: backend {} {}: {}", status, request.method(), host, request.uri(), target,
        timeout ? "timed out" : "failed", cause.getMessage());
    if (request.response().headWritten()) {
      request.response().reset();
    } else if (timeout) {
      reply(request, status, "backend timeout", "The backend did not answer in time");
    } else {
      reply(request, status, "backend unavailable", "The backend could not be reached");
    }
  }

  /** 308 keeps the method and body (unlike 301), so a POST is repeated as a POST over HTTPS. */
  private void redirectToHttps(HttpServerRequest request, String host, String uri) {
    String authority = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    String location = "https://" + authority + (httpsPort == 443 ? "" : ":" + httpsPort) + (uri.equals("*") ? "/" : uri);
    request.resume();
    request.response().setStatusCode(308).putHeader(HttpHeaders.LOCATION, location).end();
  }

  /** Ends the exchange with a JSON error; the request body, if any, is read and dropped. */
  private static void reply(HttpServerRequest request, int status, String error, String detail) {
    request.resume();
    HttpServerResponse response = request.response();
    if (response.ended()) {
      return;
    }
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
        .end(new JsonObject().put("error", error).put("detail", detail).encode());
  }
}
