/**
 * A site's targets and how one is chosen ({@link dev.portico.edge.upstream.UpstreamSet}, with a
 * {@code Selector} per load-balancing policy and passive health), and the one seam to the HTTP
 * client: {@link dev.portico.edge.upstream.Backends#open} → {@link dev.portico.edge.upstream.BackendCall}
 * → {@link dev.portico.edge.upstream.BackendResponse}. The request path uses nothing else of the
 * client, so what carries the bytes (today Vert.x's {@code HttpClient}) can change behind these
 * three classes alone.
 */
package dev.portico.edge.upstream;
