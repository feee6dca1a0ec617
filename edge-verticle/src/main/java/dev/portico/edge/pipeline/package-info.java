/**
 * The filter contract of the request path: {@link dev.portico.edge.pipeline.SiteFilter} and the
 * walk over a site's filters, {@link dev.portico.edge.pipeline.FilterChain}. Policies implement
 * it in {@code dev.portico.edge.policy}; per-path routes, a response cache and SSO plug in here
 * (see the README, "The request path").
 */
package dev.portico.edge.pipeline;
