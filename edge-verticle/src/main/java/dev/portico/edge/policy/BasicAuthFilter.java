package dev.portico.edge.policy;

import dev.portico.contract.BasicAuthPolicy;
import dev.portico.edge.pipeline.FilterContext;
import dev.portico.edge.pipeline.SiteFilter;
import dev.portico.edge.pipeline.Step;
import io.vertx.core.http.HttpHeaders;

/** A site's {@code basicAuth}: 401 without the right user and password ({@link BasicAuthVerifier}). */
final class BasicAuthFilter implements SiteFilter {

  private final BasicAuthVerifier verifier;
  private final BasicAuthPolicy policy;

  BasicAuthFilter(BasicAuthVerifier verifier, BasicAuthPolicy policy) {
    this.verifier = verifier;
    this.policy = policy;
  }

  @Override
  public Step onRequest(FilterContext context) {
    return Step.after(verifier.verify(context.site().pattern(), policy,
        context.request().headers().get(HttpHeaders.AUTHORIZATION), context.clientAddress()));
  }
}
