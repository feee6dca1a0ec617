package dev.portico.edge.policy;

import dev.portico.edge.pipeline.BodyTransform;
import dev.portico.edge.pipeline.FilterContext;
import dev.portico.edge.pipeline.SiteFilter;
import dev.portico.edge.policy.ResponseCompression.Encoding;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;

import java.util.Locale;

/**
 * A site's {@code compression} (on by default): a compressible response is encoded as the
 * client prefers ({@link ResponseCompression}), and marked {@code Vary: Accept-Encoding} whether
 * it was compressed this time or not; a strong ETag becomes weak (the bytes differ from the backend's).
 */
final class CompressionFilter implements SiteFilter {

  static final CompressionFilter INSTANCE = new CompressionFilter();

  private CompressionFilter() {
  }

  @Override
  public BodyTransform onResponseBody(FilterContext context) {
    MultiMap headers = context.responseHeaders();
    if (!ResponseCompression.compressible(context.request().method() == HttpMethod.HEAD, context.responseStatus(),
        headers)) {
      return null;
    }
    addVary(headers);
    Encoding encoding = ResponseCompression.negotiate(context.request().headers().get(HttpHeaders.ACCEPT_ENCODING));
    if (encoding == null) {
      return null;
    }
    headers.remove(HttpHeaders.CONTENT_LENGTH);
    headers.set(HttpHeaders.CONTENT_ENCODING, encoding.token);
    String etag = headers.get(HttpHeaders.ETAG);
    if (etag != null && !etag.startsWith("W/")) {
      headers.set(HttpHeaders.ETAG, "W/" + etag);
    }
    return new ResponseCompression.Compressor(encoding);
  }

  /** Caches must key a compressible response by Accept-Encoding, whether compressed this time or not. */
  private static void addVary(MultiMap headers) {
    String vary = headers.get(HttpHeaders.VARY);
    if (vary == null) {
      headers.set(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
    } else if (!vary.contains("*") && !vary.toLowerCase(Locale.ROOT).contains("accept-encoding")) {
      headers.set(HttpHeaders.VARY, vary + ", Accept-Encoding");
    }
  }
}
