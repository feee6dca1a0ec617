package dev.portico.edge.http;

import dev.portico.contract.Site;
import dev.portico.contract.SitePolicies;
import dev.portico.contract.Target;
import dev.portico.edge.observe.Exchange;
import dev.portico.edge.pipeline.DetachedFetch;
import dev.portico.edge.pipeline.FilterContext;
import dev.portico.edge.route.Route;
import dev.portico.edge.upstream.BackendCall;
import dev.portico.edge.upstream.BackendRequest;
import dev.portico.edge.upstream.Backends;
import dev.portico.edge.upstream.TenantAddresses;
import dev.portico.edge.upstream.Upstream;
import dev.portico.edge.upstream.pool.ProxyHeader;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link DetachedFetch} for a routed request: the request's GET sent apart from its client, as
 * {@link Forwarding} would send it (the same header fields, the site's filters' backend steps,
 * an upstream of the site's balancing, the address rules for tenants' targets, the site's
 * timeouts and PROXY protocol header), without retry or sticky cookie, and counted against the
 * upstream's circuit like any request. The header fields are framed when asked, while the
 * client's request is still at hand; what follows does not need it.
 */
final class DetachedSender {

  private final Backends backends;
  private final TenantAddresses addresses;

  DetachedSender(Backends backends, TenantAddresses addresses) {
    this.backends = backends;
    this.addresses = addresses;
  }

  /** {@link DetachedFetch#send} for {@code exchange}'s request on {@code route}, whose filters run on {@code filters}. */
  Future<DetachedFetch.Response> send(Exchange exchange, Route route, FilterContext filters,
      Consumer<MultiMap> ownFields) {
    Site site = route.site();
    Upstream upstream = route.upstreams().choose(Set.of());
    if (upstream == null) {
      return Future.failedFuture("no upstream of the site is available");
    }
    Target target = upstream.target();
    if (target.protocol() != Target.Protocol.HTTP && site.policies().proxyProtocol() != SitePolicies.ProxyProtocol.NONE) {
      return Future.failedFuture("the site's backend cannot be reached with a PROXY protocol header");
    }
    HttpServerRequest request = exchange.request();
    MultiMap headers = ProxyHeaders.toBackend(request, exchange.authority(), exchange.client(), false);
    headers.remove(HttpHeaders.CONTENT_LENGTH).remove(HttpHeaders.TRANSFER_ENCODING);  // sent without a body
    PathRouting.forwardedPrefix(route, exchange.path(), headers);
    route.filters().toBackend(filters, headers);
    ownFields.accept(headers);
    String uri = PathRouting.backendUri(route, exchange.path());
    ProxyHeader proxyHeader = Forwarding.proxyHeader(site, request);
    return addresses.address(site.owner() != null, upstream).compose(address -> {
      BackendCall call = backends.open(new BackendRequest(address, target, route.pattern(), site.backendTls(),
          HttpMethod.GET, uri, headers, site.connectTimeoutMs(), site.readTimeoutMs(), false, proxyHeader));
      return call.ready()
          .onFailure(e -> {
            if (!Backends.busy(e)) {
              upstream.failed();
            }
          })
          .compose(ready -> ready.send(null, BackendCall.NO_BODY).onFailure(e -> upstream.brokeOff()))
          .map(response -> {
            if (response.status() >= 500) {
              upstream.brokeOff();
            } else {
              upstream.answered();
            }
            MultiMap endToEnd = HttpHeaders.headers();
            ProxyHeaders.toClient(response.headers(), endToEnd, false);
            return new DetachedFetch.Response(response.status(), endToEnd, response.body(), call::reset);
          });
    });
  }
}
