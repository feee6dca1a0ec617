/**
 * Host to {@link dev.portico.edge.route.Route}: the in-process cache, Redis, the lookup
 * verticles; a route is built once per site version ({@link dev.portico.edge.route.RouteBuilder})
 * with the site's filter chain and upstream set.
 */
package dev.portico.edge.route;
