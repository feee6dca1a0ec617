package dev.portico.edge.http;

import dev.portico.contract.HostName;
import dev.portico.contract.RequestPath;
import dev.portico.contract.Site;
import dev.portico.contract.SiteLimits;
import dev.portico.contract.SiteRoutes;
import dev.portico.edge.LogSafe;
import dev.portico.edge.observe.Exchange;
import dev.portico.edge.route.Route;
import dev.portico.edge.route.RouteResolver;
import dev.portico.edge.tls.SniKeyManager;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The edge's request handler, the first half of the request path: validate the request head,
 * find the route for its host, apply the site's own settings (HTTPS only, redirect, body
 * limit); {@link Forwarding} does the rest (the site's filters, the upstream, the response).
 * Unknown hosts get 404 and are never proxied anywhere.
 */
public final class RequestHandler implements Handler<HttpServerRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);

  private final EdgeServices services;
  private final RouteResolver routes;
  private final Forwarding forwarding;
  /** Whether this handler serves the HTTPS listener (else the plain HTTP one). */
  private final boolean tls;
  private final int httpsPort;

  private RequestHandler(EdgeServices services, boolean tls, int httpsPort) {
    this.services = services;
    this.routes = services.routes();
    this.forwarding = new Forwarding(services);
    this.tls = tls;
    this.httpsPort = httpsPort;
  }

  /**
   * The handler of one listener, answering 500 for any failure no step expected ({@link FailSafe});
   * {@code tls}: the HTTPS listener; {@code httpsPort}: where plain HTTP requests are redirected.
   */
  public static Handler<HttpServerRequest> forListener(EdgeServices services, boolean tls, int httpsPort) {
    return FailSafe.requests(new RequestHandler(services, tls, httpsPort));
  }

  @Override
  public void handle(HttpServerRequest request) {
    request.pause();
    Exchange exchange = Exchange.begin(request, services.metrics(), services.accessLog());
    String problem = RequestHeadValidator.problem(request);
    if (problem != null) {
      LOG.info("400 for a request from {}: {}", request.remoteAddress(), problem);
      Replies.error(request, 400, "bad request", problem);
      if (request.version() != HttpVersion.HTTP_2) {
        // Its framing cannot be trusted: no further request is read from it (a graceful shutdown
        // drops requests pipelined behind this one, which close() would still hand to the handler).
        request.connection().shutdown(1, TimeUnit.SECONDS);
      }
      return;
    }
    if (request.method() == HttpMethod.CONNECT) {
      Replies.error(request, 405, "method not allowed", "CONNECT is not supported: this is a reverse proxy");
      return;
    }
    String authority = RequestTarget.authority(request);
    String host = HostName.canonical(authority);
    if (host == null) {
      LOG.info("400 for a request from {}: Host missing, repeated or malformed: {}", request.remoteAddress(),
          LogSafe.of(request.headers().getAll(HttpHeaders.HOST)));
      Replies.error(request, 400, "bad host", "The Host header is missing, repeated or malformed");
      return;
    }
    String uri = RequestTarget.originForm(request, host);
    if (uri == null) {
      LOG.info("400 for {} from {}: request target names another host: {}", host, request.remoteAddress(),
          LogSafe.of(request.uri()));
      Replies.error(request, 400, "bad request target", "The request target is not a path on the requested host");
      return;
    }
    RequestPath path;
    try {
      path = RequestPath.parse(uri);
    } catch (RequestPath.InvalidPathException e) {
      LOG.info("400 for {} from {}: bad request target: {}", host, request.remoteAddress(), LogSafe.of(e.getMessage()));
      Replies.error(request, 400, "bad request target", "The request target is not a valid path: " + e.getMessage());
      return;
    }
    exchange.asked(ProxyHeaders.canonicalAuthority(host, authority), host, path);
    if (!tls && AcmeChallenges.claims(path)) {
      services.acmeChallenges().answer(request, path);
      return;
    }
    if (tls && !servesConnectionName(request, host)) {
      LOG.debug("421 for {}: the connection's certificate was chosen for another name", host);
      Replies.error(request, 421, "misdirected request", "This connection was set up for another host name; open a new "
          + "one for " + host);
      return;
    }
    if (ProxyHeaders.hasLooped(request)) {
      LOG.warn("508 for {}{}: the request came back to this proxy (does a target of the site lead to the edge "
          + "itself?); Via: {}", host, LogSafe.of(uri), LogSafe.of(request.headers().getAll("Via")));
      Replies.error(request, 508, "loop detected", "The request went round a loop back to this proxy: check the site's "
          + "targets");
      return;
    }
    Route route = routes.cached(host);
    if (route != null) {
      serve(exchange, route);
      return;
    }
    routes.resolve(host).onComplete(FailSafe.guard(request, ar -> {
      if (ar.succeeded()) {
        serve(exchange, ar.result());
      } else {
        Replies.error(request, 503, "routing unavailable", "The site for this host cannot be looked up right now");
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
    return SniKeyManager.isForHost(request.connection().sslSession(), host);
  }

  /** The site's own settings, then the route for the path, then its filters and upstreams. */
  private void serve(Exchange exchange, Route route) {
    HttpServerRequest request = exchange.request();
    exchange.site(route.pattern(), route.meters(services.metrics()));
    if (!route.isKnown()) {
      LOG.debug("404 for unknown host {}", exchange.host());
      Replies.error(request, 404, "unknown site", "No site is configured for " + exchange.host());
      return;
    }
    Site site = route.site();
    if (site == null) {
      LOG.warn("502 for {}: site {} is invalid: {}", exchange.host(), route.pattern(), LogSafe.of(route.problem()));
      Replies.error(request, 502, "site misconfigured", "The site for this host has an invalid configuration");
      return;
    }
    if (tls && site.tls() == Site.TlsMode.OFF) {
      Replies.error(request, 421, "misdirected request", "The site " + exchange.host() + " is not served over HTTPS");
      return;
    }
    if (!tls && site.redirectHttps() && site.tls() != Site.TlsMode.OFF) {
      redirectToHttps(request, exchange.host(), exchange.uri());
      return;
    }
    Route served = route.forPath(exchange.path(), request.method().name(), request.headers()::get,
        refusal -> refusePath(exchange, refusal));
    if (served == null) {
      return;
    }
    long maxBody = BodyLimit.of(served.site().maxBodyBytes(), services.maxBodyBytes());
    if (BodyLimit.declaredOver(request, maxBody)) {
      BodyLimit.refuse(request, maxBody);
      return;
    }
    forwarding.start(exchange, served, maxBody);
  }

  /** A path the site's routes cannot take: spelt so that lenient backends read it as another route's (400), or too long for its regexes (414). */
  private static void refusePath(Exchange exchange, int refusal) {
    LOG.info("{} for {}{}: {}", refusal == SiteRoutes.AMBIGUOUS ? 400 : 414, exchange.host(), LogSafe.of(exchange.uri()),
        refusal == SiteRoutes.AMBIGUOUS ? "the path's spelling would choose another route" : "path too long for regex routes");
    if (refusal == SiteRoutes.AMBIGUOUS) {
      Replies.error(exchange.request(), 400, "ambiguous path", "The path's spelling (letter case, trailing dots or "
          + ";parameters) reads as the path of another route of this site: use the path as the site spells it");
    } else {
      Replies.error(exchange.request(), 414, "uri too long", "The path is longer than "
          + SiteLimits.MAX_REGEX_PATH_CHARS + " characters, the most this site's regex routes read");
    }
  }

  /** 308 keeps the method and body (unlike 301), so a POST is repeated as a POST over HTTPS. */
  private void redirectToHttps(HttpServerRequest request, String host, String uri) {
    String authority = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    String location = "https://" + authority + (httpsPort == 443 ? "" : ":" + httpsPort) + (uri.equals("*") ? "/" : uri);
    RequestReading.resumeIfOpen(request);
    request.response().setStatusCode(308).putHeader(HttpHeaders.LOCATION, location).end();
  }
}
