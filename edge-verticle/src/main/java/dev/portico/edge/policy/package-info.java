/**
 * One {@link dev.portico.edge.pipeline.SiteFilter} per site policy, and what they share (password
 * checks, JWT verifiers, the rate limiter); {@link dev.portico.edge.policy.SiteFilters} compiles a
 * site's policies into its chain.
 */
package dev.portico.edge.policy;
