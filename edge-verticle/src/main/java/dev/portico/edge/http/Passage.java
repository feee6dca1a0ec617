package dev.portico.edge.http;

import dev.portico.edge.observe.Exchange;
import dev.portico.edge.pipeline.DetachedFetch;
import dev.portico.edge.pipeline.FilterContext;
import dev.portico.edge.route.Route;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;

import java.util.function.Consumer;

/**
 * One request on its way through {@link Forwarding}: what every step after the filters needs.
 * For a site with filters it is also the request's {@link DetachedFetch} (a cache's background
 * refresh) and what runs when the exchange is over: one object per request instead of three.
 */
final class Passage implements DetachedFetch, Runnable {

  private final Exchange exchange;
  private final Route route;
  /** The filters' view of the request; null for a site without filters. */
  private final FilterContext filters;
  private final long maxBody;
  private final DetachedSender detached;
  /** Whether the request is a WebSocket handshake (forwarded as one, and spliced after a 101). */
  private final boolean upgrade;

  Passage(Exchange exchange, Route route, FilterContext filters, long maxBody, DetachedSender detached) {
    this.exchange = exchange;
    this.route = route;
    this.filters = filters;
    this.maxBody = maxBody;
    this.detached = detached;
    this.upgrade = exchange.request().canUpgradeToWebSocket();
  }

  Exchange exchange() {
    return exchange;
  }

  Route route() {
    return route;
  }

  FilterContext filters() {
    return filters;
  }

  long maxBody() {
    return maxBody;
  }

  boolean upgrade() {
    return upgrade;
  }

  HttpServerRequest request() {
    return exchange.request();
  }

  @Override
  public Future<DetachedFetch.Response> send(Consumer<MultiMap> ownFields) {
    return detached.send(exchange, route, filters, ownFields);
  }

  /** The exchange is over: the filters let go of what they hold, the cache's result is counted. */
  @Override
  public void run() {
    filters.done();
    exchange.cacheResult(filters.cacheResult());
  }
}
