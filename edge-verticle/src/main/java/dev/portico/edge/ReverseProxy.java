package dev.portico.edge;

import dev.portico.edge.tls.SniKeyManager;

import dev.portico.contract.FieldSyntax;
import dev.portico.contract.HostName;
import dev.portico.contract.RequestPath;
import dev.portico.contract.Site;
import dev.portico.contract.SitePolicies;
import dev.portico.edge.ResponseCompression.Compressor;
import dev.portico.edge.ResponseCompression.Encoding;
import dev.portico.contract.Target;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
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

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The edge's request handler: finds the site for the request's host and proxies the request to
 * one of the site's targets, streaming bodies both ways with back-pressure. Unknown hosts get 404
 * and are never proxied anywhere; a backend that refuses gets 502, one that is too slow 504.
 */
final class ReverseProxy implements Handler<HttpServerRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(ReverseProxy.class);
  private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence STRICT_TRANSPORT_SECURITY = HttpHeaders.createOptimized("Strict-Transport-Security");

  private final RouteResolver routes;
  private final HttpClient backends;
  private final EdgeMetrics metrics;
  private final AccessLog accessLog;
  private final SiteGate gate;
  private final TenantAddresses addresses;
  private final TargetBalancer balancer;
  /** Answers the ACME challenge folder on the plain HTTP listener (the HTTPS one proxies it like any path). */
  private final AcmeChallenges acmeChallenges;
  /** Whether this handler serves the HTTPS listener (else the plain HTTP one). */
  private final boolean tls;
  private final int httpsPort;
  /** The node's request body limit, for sites without {@code maxBodyBytes}. */
  private final long maxBodyBytes;

  ReverseProxy(EdgeServices services, AcmeChallenges acmeChallenges, boolean tls, int httpsPort) {
    this.routes = services.routes();
    this.backends = services.backends();
    this.metrics = services.metrics();
    this.accessLog = services.accessLog();
    this.gate = services.gate();
    this.addresses = services.addresses();
    this.balancer = services.balancer();
    this.acmeChallenges = acmeChallenges;
    this.maxBodyBytes = services.maxBodyBytes();
    this.tls = tls;
    this.httpsPort = httpsPort;
  }

  @Override
  public void handle(HttpServerRequest request) {
    request.pause();
    Exchange exchange = Exchange.begin(request, metrics, accessLog);
    String problem = RequestHeadValidator.problem(request);
    if (problem != null) {
      LOG.info("400 for a request from {}: {}", request.remoteAddress(), problem);
      reply(request, 400, "bad request", problem);
      if (request.version() != HttpVersion.HTTP_2) {
        // Its framing cannot be trusted: no further request is read from it (a graceful shutdown
        // drops requests pipelined behind this one, which close() would still hand to the handler).
        request.connection().shutdown(1, TimeUnit.SECONDS);
      }
      return;
    }
    if (request.method() == HttpMethod.CONNECT) {
      reply(request, 405, "method not allowed", "CONNECT is not supported: this is a reverse proxy");
      return;
    }
    String authority = authority(request);
    String host = HostName.canonical(authority);
    if (host == null) {
      LOG.info("400 for a request from {}: Host missing, repeated or malformed: {}", request.remoteAddress(),
          LogSafe.of(request.headers().getAll(HttpHeaders.HOST)));
      reply(request, 400, "bad host", "The Host header is missing, repeated or malformed");
      return;
    }
    String uri = originForm(request, host);
    if (uri == null) {
      LOG.info("400 for {} from {}: request target names another host: {}", host, request.remoteAddress(),
          LogSafe.of(request.uri()));
      reply(request, 400, "bad request target", "The request target is not a path on the requested host");
      return;
    }
    RequestPath path;
    try {
      path = RequestPath.parse(uri);
    } catch (RequestPath.InvalidPathException e) {
      LOG.info("400 for {} from {}: bad request target: {}", host, request.remoteAddress(), LogSafe.of(e.getMessage()));
      reply(request, 400, "bad request target", "The request target is not a valid path: " + e.getMessage());
      return;
    }
    exchange.asked(ProxyHeaders.canonicalAuthority(host, authority), host, path);
    if (!tls && AcmeChallenges.claims(path)) {
      acmeChallenges.answer(request, path);
      return;
    }
    if (tls && !servesConnectionName(request, host)) {
      LOG.debug("421 for {}: the connection's certificate was chosen for another name", host);
      reply(request, 421, "misdirected request", "This connection was set up for another host name; open a new one for "
          + host);
      return;
    }
    if (ProxyHeaders.hasLooped(request)) {
      LOG.warn("508 for {}{}: the request came back to this proxy (does a target of the site lead to the edge "
          + "itself?); Via: {}", host, LogSafe.of(uri), LogSafe.of(request.headers().getAll("Via")));
      reply(request, 508, "loop detected", "The request went round a loop back to this proxy: check the site's "
          + "targets");
      return;
    }
    Route route = routes.cached(host);
    if (route != null) {
      proxy(exchange, route);
      return;
    }
    routes.resolve(host).onComplete(FailSafe.guard(request, ar -> {
      if (ar.succeeded()) {
        proxy(exchange, ar.result());
      } else {
        reply(request, 503, "routing unavailable", "The site for this host cannot be looked up right now");
      }
    }));
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
   * The request target as the client meant it, not yet normalised ({@link RequestPath} does that):
   * origin-form as received, {@code *} for OPTIONS,
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

  private void proxy(Exchange exchange, Route route) {
    HttpServerRequest request = exchange.request();
    exchange.route(route);
    if (!route.isKnown()) {
      LOG.debug("404 for unknown host {}", exchange.host());
      reply(request, 404, "unknown site", "No site is configured for " + exchange.host());
      return;
    }
    Site site = route.site();
    if (site == null) {
      LOG.warn("502 for {}: site {} is invalid: {}", exchange.host(), route.pattern(), LogSafe.of(route.problem()));
      reply(request, 502, "site misconfigured", "The site for this host has an invalid configuration");
      return;
    }
    if (tls && site.tls() == Site.TlsMode.OFF) {
      reply(request, 421, "misdirected request", "The site " + exchange.host() + " is not served over HTTPS");
      return;
    }
    if (!tls && site.redirectHttps() && site.tls() != Site.TlsMode.OFF) {
      redirectToHttps(request, exchange.host(), exchange.uri());
      return;
    }
    long maxBody = BodyLimit.of(site.maxBodyBytes(), maxBodyBytes);
    if (BodyLimit.declaredOver(request, maxBody)) {
      BodyLimit.refuse(request, maxBody);
      return;
    }
    SitePolicies policies = site.policies();
    if (!SiteGate.checks(policies)) {
      send(exchange, site, null, Set.of());
      return;
    }
    gate.admit(request, exchange.path(), route.pattern(), policies, site.owner() != null).onComplete(FailSafe.guard(request, ar -> {
      if (ar.succeeded()) {
        send(exchange, site, ar.result(), Set.of());
      } else if (ar.cause() instanceof Rejection rejection) {
        LOG.debug("{} for {}: {}", rejection.status(), exchange.host(), LogSafe.of(rejection.getMessage()));
        if (rejection.headerName() != null) {
          request.response().putHeader(rejection.headerName(), rejection.headerValue());
        }
        reply(request, rejection.status(), rejection.error(), rejection.getMessage());
      } else {
        LOG.warn("500 for {}: the site's checks failed: {}", exchange.host(), LogSafe.of(ar.cause()));
        reply(request, 500, "internal error", "The site's access checks failed");
      }
    }));
  }

  /**
   * Sends the request to a target not in {@code tried}, with the verified JWT's chosen claims as
   * headers; on a connection failure retries if allowed.
   */
  private void send(Exchange exchange, Site site, JsonObject claims, Set<Target> tried) {
    Target target = balancer.choose(site.targets(), site.policies().loadBalancing(), tried);
    if (target == null) {  // every target was tried (a site may list one target twice)
      LOG.warn("502 for {} {}{}: every target of the site failed", exchange.request().method(), exchange.host(),
          LogSafe.of(exchange.uri()));
      reply(exchange.request(), 502, "backend unavailable", "The backend could not be reached");
      return;
    }
    addresses.address(site.owner() != null, target.host(), target.port()).onComplete(FailSafe.guard(exchange.request(), ar -> {
      if (ar.succeeded()) {
        sendTo(exchange, site, claims, tried, target, ar.result());
      } else if (ar.cause() instanceof TenantAddresses.Refused refused) {
        LOG.warn("502 for {} {}{}: site {} (owner {}) may not reach its target {}: {}", exchange.request().method(),
            exchange.host(), LogSafe.of(exchange.request().uri()), exchange.route().pattern(), site.owner(), target,
            refused.getMessage());
        reply(exchange.request(), 502, "backend not allowed", "The site's backend address is not allowed");
      } else {
        LOG.warn("502 for {} {}{}: target {} does not resolve: {}", exchange.request().method(), exchange.host(),
            LogSafe.of(exchange.request().uri()), target, LogSafe.of(ar.cause().getMessage()));
        reply(exchange.request(), 502, "backend unavailable", "The backend's name does not resolve");
      }
    }));
  }

  private void sendTo(Exchange exchange, Site site, JsonObject claims, Set<Target> tried, Target target,
      String address) {
    HttpServerRequest request = exchange.request();
    SitePolicies policies = site.policies();
    boolean upgrade = request.canUpgradeToWebSocket();
    MultiMap headers = ProxyHeaders.toBackend(request, exchange.authority(), upgrade);
    apply(policies.requestHeaders(), headers);
    if (policies.jwt() != null) {
      passClaims(policies.jwt().claimHeaders(), claims, headers);
    }
    RequestOptions options = new RequestOptions()
        .setMethod(request.method())
        .setHost(address)
        .setPort(target.port())
        .setURI(exchange.uri())
        .setHeaders(headers)
        .setConnectTimeout(site.connectTimeoutMs())
        .setIdleTimeout(site.readTimeoutMs());
    int attempt = exchange.backendRequested(target);
    if (policies.loadBalancing() == SitePolicies.LoadBalancing.LEAST_PENDING) {
      balancer.started(target);
      exchange.onRecord(() -> balancer.finished(target));
    }
    backends.request(options).onComplete(FailSafe.guard(request, ar -> {
      if (ar.failed()) {
        balancer.failed(target);
        if (attempt < policies.retries() && TargetBalancer.hasUntried(site.targets(), tried, target)
            && isIdempotent(request.method())) {
          if (policies.loadBalancing() == SitePolicies.LoadBalancing.LEAST_PENDING) {
            balancer.finished(target);  // the retry's own onRecord replaces this target's
          }
          LOG.info("Retrying {} {}{} elsewhere: backend {} failed: {}", request.method(), exchange.host(),
              LogSafe.of(request.uri()), target, LogSafe.of(ar.cause().getMessage()));
          Set<Target> now = new HashSet<>(tried);
          now.add(target);
          send(exchange, site, claims, now);
        } else {
          failed(request, exchange.host(), target, ar.cause());
        }
      } else if (upgrade) {
        tunnel(exchange, ar.result());
      } else {
        forward(exchange, policies, ar.result(), BodyLimit.of(site.maxBodyBytes(), maxBodyBytes));
      }
    }));
  }

  private void forward(Exchange exchange, SitePolicies policies, HttpClientRequest backendRequest, long maxBody) {
    HttpServerRequest request = exchange.request();
    Target target = exchange.target();
    backendRequest.exceptionHandler(e -> LOG.debug("Request to {} for {} failed: {}", target, exchange.host(),
        LogSafe.of(e.getMessage())));
    Future<HttpClientResponse> sent;
    if (request.response().closed()) {
      // the client reset its stream (or closed) while the request waited for its checks: an
      // HTTP/2 request then reads as ended, and must not reach the backend as if complete
      backendRequest.reset();
      exchange.clientClosed();
      return;
    }
    long bodyLength = RequestHeadValidator.bodyLength(request);
    BodyLimit body = bodyLength == RequestHeadValidator.NO_BODY ? null
        : new BodyLimit(request, backendRequest, maxBody, bodyLength);
    if (body != null) {
      if (bodyLength == RequestHeadValidator.UNKNOWN_LENGTH) {
        backendRequest.setChunked(true);
      } else {
        backendRequest.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(bodyLength));
      }
      // A body the client broke off (or sent malformed chunks of), or that grew over the limit, is
      // never ended as if complete: the backend request is reset, so the backend drops it rather
      // than run a truncated one.
      body.pipe().endOnFailure(false).to(backendRequest).onFailure(e -> backendRequest.reset(0, e));
      sent = backendRequest.response();
    } else {
      sent = backendRequest.send();
      RequestReading.resumeIfOpen(request);  // an HTTP/2 request without DATA may have ended already
    }
    sent.onComplete(FailSafe.guard(request, ar -> {
      if (ar.failed()) {
        if (body == null || !body.exceeded()) {  // else the client has its 413 or reset
          failed(request, exchange.host(), target, ar.cause());
        }
        return;
      }
      exchange.backendResponded();
      HttpClientResponse backendResponse = ar.result();
      HttpServerResponse response = request.response();
      int status = backendResponse.statusCode();
      response.setStatusCode(status);
      if (request.version() != HttpVersion.HTTP_2 && FieldSyntax.isFieldValue(backendResponse.statusMessage())) {
        response.setStatusMessage(backendResponse.statusMessage());
      }
      MultiMap headers = response.headers();
      ProxyHeaders.toClient(backendResponse.headers(), headers, false);
      headers.set(Exchange.REQUEST_ID, exchange.requestId());
      apply(policies.responseHeaders(), headers);
      if (policies.hsts() != null && request.isSSL()) {
        headers.set(STRICT_TRANSPORT_SECURITY, policies.hsts().value());
      }
      Compressor compressor = null;
      if (policies.compression()
          && ResponseCompression.compressible(request.method() == HttpMethod.HEAD, status, headers)) {
        addVary(headers);
        Encoding encoding = ResponseCompression.negotiate(request.getHeader(HttpHeaders.ACCEPT_ENCODING));
        if (encoding != null) {
          compressor = new Compressor(encoding);
          headers.remove(HttpHeaders.CONTENT_LENGTH);
          headers.set(HttpHeaders.CONTENT_ENCODING, encoding.token);
          String etag = headers.get(HttpHeaders.ETAG);
          if (etag != null && !etag.startsWith("W/")) {
            headers.set(HttpHeaders.ETAG, "W/" + etag);  // the bytes differ from the backend's
          }
        }
      }
      relay(exchange, backendRequest, backendResponse, response, compressor);
    }));
  }

  /**
   * A WebSocket (or other) upgrade: forward the handshake; on 101, splice the two connections,
   * with back-pressure both ways; otherwise relay the refusal as an ordinary response.
   */
  private void tunnel(Exchange exchange, HttpClientRequest backendRequest) {
    HttpServerRequest request = exchange.request();
    backendRequest.connect().onComplete(FailSafe.guard(request, ar -> {
      if (ar.failed()) {
        failed(request, exchange.host(), exchange.target(), ar.cause());
        return;
      }
      exchange.backendResponded();
      HttpClientResponse backendResponse = ar.result();
      HttpServerResponse response = request.response();
      response.setStatusCode(backendResponse.statusCode());
      if (backendResponse.statusCode() == 101 && !"websocket".equalsIgnoreCase(
          backendResponse.getHeader(HttpHeaders.UPGRADE))) {
        // a tunnel is spliced only for what was asked: a WebSocket, not whatever the backend names
        LOG.warn("502 for {}: backend {} answered a WebSocket upgrade with Upgrade: {}", exchange.host(),
            exchange.target(), LogSafe.of(backendResponse.getHeader(HttpHeaders.UPGRADE)));
        backendRequest.reset();
        reply(request, 502, "bad backend answer", "The backend switched to another protocol than WebSocket");
        return;
      }
      if (backendResponse.statusCode() != 101) {
        ProxyHeaders.toClient(backendResponse.headers(), response.headers(), false);
        request.resume();
        relay(exchange, backendRequest, backendResponse, response, null);
        return;
      }
      ProxyHeaders.toClient(backendResponse.headers(), response.headers(), true);
      exchange.record(101);
      NetSocket backendSocket = backendResponse.netSocket();
      request.resume();
      request.toNetSocket().onComplete(FailSafe.guard(request, client -> {
        if (client.failed()) {
          LOG.debug("Upgrade of {} failed: {}", exchange.host(), LogSafe.of(client.cause().getMessage()));
          backendSocket.close();
          return;
        }
        NetSocket clientSocket = client.result();
        clientSocket.pipeTo(backendSocket);
        backendSocket.pipeTo(clientSocket);
      }));
    }));
  }

  /**
   * Streams the backend's response body to the client (through {@code compressor} when there is
   * one), pausing the backend while the client's connection cannot take more. (Vert.x's pipe
   * does this too, but it keeps writing to a client connection that closed, and fails; here a
   * closed client stops the backend request at once.)
   */
  private static void relay(Exchange exchange, HttpClientRequest backendRequest, HttpClientResponse backendResponse,
      HttpServerResponse response, Compressor compressor) {
    if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
      response.setChunked(true);
    }
    response.closeHandler(v -> {
      exchange.clientClosed();
      backendRequest.reset();
      if (compressor != null) {
        compressor.discard();
      }
    });
    backendResponse.exceptionHandler(e -> {
      LOG.debug("Response from the backend cut off: {}", LogSafe.of(e.getMessage()));
      response.reset();
    });
    backendResponse.endHandler(v -> {
      if (compressor == null) {
        response.end();
      } else if (!response.closed()) {
        response.end(compressor.finish());
      }
    });
    backendResponse.handler(chunk -> {
      if (response.closed()) {
        backendRequest.reset();
        return;
      }
      if (compressor == null) {
        response.write(chunk);
      } else {
        Buffer compressed = compressor.compress(chunk);
        if (compressed.length() > 0) {
          response.write(compressed);
        }
      }
      if (response.writeQueueFull()) {
        backendResponse.pause();
        response.drainHandler(v -> backendResponse.resume());
      }
    });
  }

  /** Sets and removes headers as a site's rules say. */
  private static void apply(SitePolicies.HeaderRules rules, MultiMap headers) {
    if (rules.isEmpty()) {
      return;
    }
    rules.remove().forEach(headers::remove);
    rules.set().forEach(headers::set);
  }

  /**
   * Claim headers are the site's word only: whatever the client sent under those names is
   * dropped, then the verified token's claims are set.
   */
  private static void passClaims(Map<String, String> claimHeaders, JsonObject claims, MultiMap headers) {
    claimHeaders.values().forEach(headers::remove);
    if (claims != null) {
      claimHeaders.forEach((claim, header) -> {
        Object value = claims.getValue(claim);
        if (value != null) {
          String text = value.toString();
          if (FieldSyntax.isFieldValue(text)) {
            headers.set(header, text);
          }
        }
      });
    }
  }

  /** Caches must key a compressible response by Accept-Encoding, whether compressed this time or not. */
  private static void addVary(MultiMap headers) {
    String vary = headers.get(HttpHeaders.VARY);
    if (vary == null) {
      headers.set(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
    } else if (!vary.contains("*") && !vary.toLowerCase(java.util.Locale.ROOT).contains("accept-encoding")) {
      headers.set(HttpHeaders.VARY, vary + ", Accept-Encoding");
    }
  }

  private static boolean isIdempotent(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
        || method == HttpMethod.PUT || method == HttpMethod.DELETE || method == HttpMethod.TRACE;
  }

  private static void failed(HttpServerRequest request, String host, Target target, Throwable cause) {
    boolean timeout = cause instanceof TimeoutException || cause instanceof ConnectTimeoutException;
    int status = timeout ? 504 : 502;
    LOG.warn("{} for {} {}{}: backend {} {}: {}", status, request.method(), host, LogSafe.of(request.uri()), target,
        timeout ? "timed out" : "failed", LogSafe.of(cause.getMessage()));
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
    String authority = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    String location = "https://" + authority + (httpsPort == 443 ? "" : ":" + httpsPort) + (uri.equals("*") ? "/" : uri);
    RequestReading.resumeIfOpen(request);
    request.response().setStatusCode(308).putHeader(HttpHeaders.LOCATION, location).end();
  }

  /** Ends the exchange with a JSON error; the request body, if any, is read and dropped. */
  private static void reply(HttpServerRequest request, int status, String error, String detail) {
    RequestReading.resumeIfOpen(request);
    HttpServerResponse response = request.response();
    if (response.ended()) {
      return;
    }
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
        .end(new JsonObject().put("error", error).put("detail", detail).encode());
  }
}
