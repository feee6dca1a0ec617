package dev.portico.edge.pipeline;

import io.vertx.core.MultiMap;

/**
 * One policy of a site on the request path (IP rules, basic auth, a JWT, a rate limit, header
 * rules, HSTS, compression; later per-path routes, a response cache, SSO). A site's filters are
 * built once, when its JSON is parsed, into a {@link FilterChain}; per request the chain asks
 * each filter {@link #appliesTo} (Zuul's {@code shouldFilter}), runs the request steps in order,
 * then — on the response, from the backend or from a filter's {@link Answer} — the response steps
 * of the filters that were passed, in reverse order (an onion, as vertx-http-proxy's
 * {@code ProxyInterceptor} and Caddy's middleware). Every step defaults to passing through, so a
 * filter implements only what it does. A filter instance serves every request of its site on one
 * event loop: per-request state goes into the {@link FilterContext}, never into fields.
 */
public interface SiteFilter {

  /** Whether this filter has anything to do for the request; when not, none of its steps run. Must be cheap. */
  default boolean appliesTo(FilterContext context) {
    return true;
  }

  /**
   * Decides on the request before any backend is chosen: {@link Step#PASS} (no allocation: the
   * synchronous case), an {@link Answer} that ends the request here (a refusal, a redirect, a
   * cached response), or {@link Step#later} for a decision that needs I/O.
   */
  default Step onRequest(FilterContext context) {
    return Step.PASS;
  }

  /** Edits the headers the backend receives (already stripped of hop-by-hop fields and framed by the edge). */
  default void onBackendRequest(FilterContext context, MultiMap headers) {
  }

  /**
   * Edits the response head before it is written: {@link FilterContext#responseStatus()} and
   * {@link FilterContext#responseHeaders()} (the client's response headers). Runs for backend
   * responses, a WebSocket's 101, and the {@link Answer} of a filter further in.
   */
  default void onResponse(FilterContext context) {
  }

  /**
   * The transform of the response body, or {@code null} to leave it alone; called right after
   * {@link #onResponse}, when the response has a body to relay. The head is not written yet: a
   * filter that transforms the body sets the headers that go with it (Content-Encoding, ...).
   */
  default BodyTransform onResponseBody(FilterContext context) {
    return null;
  }

  /**
   * The backend's response head, set on the context, before the response steps: an
   * {@link Answer} to send instead (a cache's entry that the backend's 304 confirmed), or null to
   * relay the response. Every filter passed is asked, innermost first; the first answer wins and
   * the backend's body is dropped.
   */
  default Answer onBackendResponse(FilterContext context) {
    return null;
  }

  /**
   * The backend could not give a response (unreachable, timed out, refused): an {@link Answer}
   * instead of the edge's 502/504 (a cache's stale copy, {@code stale-if-error}), or null. Every
   * filter passed is told, innermost first; the first answer wins.
   */
  default Answer onBackendFailure(FilterContext context) {
    return null;
  }
}
