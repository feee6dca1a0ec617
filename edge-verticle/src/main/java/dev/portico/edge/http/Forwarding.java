package dev.portico.edge.http;

import dev.portico.contract.Site;
import dev.portico.contract.SitePolicies;
import dev.portico.contract.Target;
import dev.portico.edge.LogSafe;
import dev.portico.edge.upstream.TenantAddresses;
import dev.portico.edge.observe.Exchange;
import dev.portico.edge.pipeline.ClientRequest;
import dev.portico.edge.pipeline.FilterContext;
import dev.portico.edge.pipeline.Step;
import dev.portico.edge.route.Route;
import dev.portico.edge.upstream.BackendCall;
import dev.portico.edge.upstream.BackendRequest;
import dev.portico.edge.upstream.BackendResponse;
import dev.portico.edge.upstream.Backends;
import dev.portico.edge.upstream.StickyCookie;
import dev.portico.edge.upstream.Upstream;
import dev.portico.edge.upstream.UpstreamSet;
import dev.portico.edge.upstream.pool.ProxyHeader;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;

/**
 * The second half of the request path, for a routed request of a known site: the site's filters
 * ({@link dev.portico.edge.pipeline.FilterChain}), then an upstream of the site (select, resolve,
 * connect; on a failed connection, an idempotent request is retried on another target as the
 * site allows), then the request — forwarded with its body, or as a WebSocket handshake
 * ({@link WebSocketHandoff}) — and the response through {@link Relay}. What a failed step means
 * for the request (a retry elsewhere, a filter's stale answer, the edge's 502/503/504) is
 * {@link UpstreamFailures}'.
 */
final class Forwarding {

  private static final Logger LOG = LoggerFactory.getLogger(Forwarding.class);

  private final Backends backends;
  private final TenantAddresses addresses;
  private final DetachedSender detached;

  Forwarding(EdgeServices services) {
    this.backends = services.backends();
    this.addresses = services.addresses();
    this.detached = new DetachedSender(backends, addresses);
  }

  /**
   * Runs the site's (or path route's) filters on the request (a site without filters pays for
   * none), then sends it on, or answers it at the edge for a {@code respond} or {@code redirect} route.
   */
  void start(Exchange exchange, Route route, long maxBody) {
    boolean answers = PathRouting.answersAtEdge(route);
    if (route.filters().isEmpty() && !answers) {
      send(new Passage(exchange, route, null, maxBody, detached), Set.of());
      return;
    }
    HttpServerRequest request = exchange.request();
    FilterContext context = new FilterContext(new ClientRequest(request.method(), exchange.host(), exchange.path(),
        request.headers(), request.isSSL(), exchange.client(), exchange.authority()), route.info());
    Passage passage = new Passage(exchange, route, context, maxBody, detached);
    context.detachedFetch(passage);
    exchange.whenOver(passage);
    Step admitted = route.filters().admit(context);
    if (admitted.later() == null) {
      admitted(passage, admitted);
      return;
    }
    admitted.later().onComplete(FailSafe.guard(request, ar -> {
      if (ar.succeeded()) {
        admitted(passage, ar.result());
      } else {
        LOG.warn("500 for {}: the site's checks failed: {}", exchange.host(), LogSafe.of(ar.cause()));
        Replies.error(request, 500, "internal error", "The site's access checks failed");
      }
    }));
  }

  /** The filters decided: on to an upstream, or out with a filter's answer. */
  private void admitted(Passage passage, Step decided) {
    if (decided == Step.PASS && PathRouting.answersAtEdge(passage.route())) {
      Relay.answer(passage.exchange(), passage.route().filters(), passage.filters(),
          PathRouting.answer(passage.route(), passage.exchange().path()));
    } else if (decided == Step.PASS) {
      send(passage, Set.of());
    } else {
      LOG.debug("{} for {}: answered by the site's filters", decided.answer().status(), passage.exchange().host());
      Relay.answer(passage.exchange(), passage.route().filters(), passage.filters(), decided.answer());
    }
  }

  /** Sends the request to an upstream not in {@code tried}. */
  private void send(Passage passage, Set<Upstream> tried) {
    UpstreamSet upstreams = passage.route().upstreams();
    Upstream upstream = tried.isEmpty() && upstreams.stickyCookie() != null
        ? upstreams.stuck(stickyId(passage.request(), upstreams)) : null;
    if (upstream == null) {
      upstream = upstreams.choose(tried);
    }
    if (upstream == null) {  // every target was tried (a site may list one target twice), or its circuit is open
      UpstreamFailures.noTargetLeft(passage);
      return;
    }
    Future<String> address = addresses.address(passage.route().site().owner() != null, upstream);
    if (address.isComplete()) {  // an address literal: on at once, no handler object
      addressed(passage, tried, upstream, address);
    } else {
      Upstream chosen = upstream;
      address.onComplete(FailSafe.guard(passage.request(), ar -> addressed(passage, tried, chosen, ar)));
    }
  }

  /** The upstream's address is known (or refused, or does not resolve). */
  private void addressed(Passage passage, Set<Upstream> tried, Upstream upstream, AsyncResult<String> address) {
    if (address.succeeded()) {
      sendTo(passage, tried, upstream, address.result());
    } else {
      UpstreamFailures.unaddressed(passage, upstream, address.cause());
    }
  }

  private void sendTo(Passage passage, Set<Upstream> tried, Upstream upstream, String address) {
    Exchange exchange = passage.exchange();
    HttpServerRequest request = passage.request();
    Site site = passage.route().site();
    UpstreamSet upstreams = passage.route().upstreams();
    boolean upgrade = passage.upgrade();
    boolean onClient = upgrade || upstream.target().protocol() != Target.Protocol.HTTP;
    if (onClient && site.policies().proxyProtocol() != SitePolicies.ProxyProtocol.NONE) {
      // Vert.x's client (upgrades, https:// and h2c:// targets) cannot open with the header: the
      // backend would see the edge as the client
      LOG.warn("502 for {}: a site with proxyProtocol gets no {} through the edge", exchange.host(),
          upgrade ? "WebSocket upgrade" : "request to an https:// or h2c:// target");
      Replies.error(request, 502, "backend unavailable", upgrade ? "WebSocket is not offered for this site"
          : "The site's backend cannot be reached with a PROXY protocol header");
      return;
    }
    MultiMap headers = ProxyHeaders.toBackend(request, exchange.authority(), exchange.client(), upgrade);
    PathRouting.forwardedPrefix(passage.route(), exchange.path(), headers);
    if (passage.filters() != null) {
      passage.route().filters().toBackend(passage.filters(), headers);
    }
    Target target = upstream.target();
    if (target.protocol() == Target.Protocol.H2C || target.protocol().tls() && site.backendTls().http2()) {
      GrpcCalls.keepTrailersField(request, headers);  // HTTP/2 allows TE: trailers; HTTP/1.1 would need Connection: TE
    }
    BackendRequest head = new BackendRequest(address, target, passage.route().pattern(), site.backendTls(),
        request.method(), PathRouting.backendUri(passage.route(), exchange.path()), headers,
        site.connectTimeoutMs(), GrpcCalls.readTimeoutMs(request, site.readTimeoutMs()), upgrade,
        proxyHeader(site, request));
    int attempt = exchange.backendRequested(upstream.target());
    if (upstreams.countsPending()) {
      upstream.started();
      exchange.onRecord(upstream::finished);
    }
    BackendCall opening = backends.open(head);
    // a client gone before the response (while its request waits for a connection, or for the
    // backend's answer) takes its request back; Relay replaces this once the response streams
    if (!upgrade) {
      request.response().closeHandler(v -> {
        exchange.clientClosed();
        opening.reset();
      });
    }
    Future<BackendCall> ready = opening.ready();
    if (ready.isComplete()) {  // a kept connection was free: on at once, no handler object
      connected(passage, tried, upstream, attempt, ready);
    } else {
      ready.onComplete(FailSafe.guard(request, ar -> connected(passage, tried, upstream, attempt, ar)));
    }
  }

  /**
   * The backend call has a connection: on with the request (a WebSocket handshake, or the request
   * with its body); or it has none: retried elsewhere as the site allows, else answered.
   */
  private void connected(Passage passage, Set<Upstream> tried, Upstream upstream, int attempt,
      AsyncResult<BackendCall> ready) {
    if (ready.succeeded()) {
      if (passage.upgrade()) {
        WebSocketHandoff.tunnel(passage, ready.result(), upstream);
      } else {
        forward(passage, ready.result(), upstream);
      }
    } else if (UpstreamFailures.retryElsewhere(passage, tried, upstream, attempt, ready.cause())) {
      Set<Upstream> now = new HashSet<>(tried);
      now.add(upstream);
      send(passage, now);
    }
  }

  /** Sends the request with its body, bounded by the site's limit, and relays the response. */
  private static void forward(Passage passage, BackendCall call, Upstream upstream) {
    Exchange exchange = passage.exchange();
    HttpServerRequest request = passage.request();
    if (request.response().closed()) {
      // the client reset its stream (or closed) while the request waited for its checks: an
      // HTTP/2 request then reads as ended, and must not reach the backend as if complete
      call.reset();
      exchange.clientClosed();
      return;
    }
    long bodyLength = RequestHeadValidator.bodyLength(request);
    BodyLimit body = bodyLength == RequestHeadValidator.NO_BODY ? null
        : new BodyLimit(request, call, passage.maxBody(), bodyLength);
    Future<BackendResponse> sent = call.send(body, bodyLength);
    if (body == null) {
      RequestReading.resumeIfOpen(request);  // an HTTP/2 request without DATA may have ended already
    }
    sent.onComplete(FailSafe.guard(request, ar -> {
      if (ar.failed()) {
        if (body == null || !body.exceeded()) {  // else the client has its 413 or reset
          UpstreamFailures.brokeOff(passage, upstream, ar.cause());
        }
        return;
      }
      exchange.backendResponded();
      answered(passage, upstream, ar.result());
      Relay.respond(exchange, passage.route().filters(), passage.filters(), call, ar.result());
    }));
  }

  /**
   * The backend answered: a 5xx counts against its circuit, anything else closes it; a sticky
   * site's client whose cookie did not name this upstream is given one that does.
   */
  static void answered(Passage passage, Upstream upstream, BackendResponse response) {
    if (response.status() >= 500) {
      upstream.brokeOff();
    } else {
      upstream.answered();
    }
    UpstreamSet upstreams = passage.route().upstreams();
    if (upstreams.stickyCookie() != null && !upstream.stickyId().equals(stickyId(passage.request(), upstreams))) {
      response.headers().add("Set-Cookie",
          StickyCookie.set(upstreams.stickyCookie(), upstream.stickyId(), passage.request().isSSL()));
    }
  }

  /** The target id in a sticky site's cookie, as the client sent it (unchecked). */
  private static String stickyId(HttpServerRequest request, UpstreamSet upstreams) {
    return StickyCookie.read(request.headers().getAll("Cookie"), upstreams.stickyCookie());
  }

  /** The PROXY protocol header the site's backend connections open with: the client, and the address it reached. */
  static ProxyHeader proxyHeader(Site site, HttpServerRequest request) {
    SitePolicies.ProxyProtocol version = site.policies().proxyProtocol();
    if (version == SitePolicies.ProxyProtocol.NONE || request.remoteAddress() == null || request.localAddress() == null) {
      return null;
    }
    return ProxyHeader.of(version == SitePolicies.ProxyProtocol.V1 ? HAProxyProtocolVersion.V1 : HAProxyProtocolVersion.V2,
        request.remoteAddress().hostAddress(), request.remoteAddress().port(), request.localAddress().hostAddress(),
        request.localAddress().port());
  }
}
