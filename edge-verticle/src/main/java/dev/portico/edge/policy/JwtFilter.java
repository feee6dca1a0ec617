package dev.portico.edge.policy;

import dev.portico.contract.FieldSyntax;
import dev.portico.contract.JwtPolicy;
import dev.portico.edge.pipeline.FilterContext;
import dev.portico.edge.pipeline.SiteFilter;
import dev.portico.edge.pipeline.Step;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * A site's {@code jwt}: on the covered paths a valid bearer token is required ({@link JwtGuard}),
 * and its chosen claims are passed to the backend as headers. The claim headers are the site's
 * word only: on every path, whatever the client sent under those names is dropped.
 */
final class JwtFilter implements SiteFilter {

  private final JwtGuard guard;
  private final JwtPolicy policy;

  JwtFilter(JwtGuard guard, JwtPolicy policy) {
    this.guard = guard;
    this.policy = policy;
  }

  @Override
  public Step onRequest(FilterContext context) {
    if (!policy.covers(context.request().path())) {
      return Step.PASS;
    }
    String authorization = context.request().headers().get(HttpHeaders.AUTHORIZATION);
    return Step.after(guard.verify(policy, context.site().tenant(), authorization)
        .onSuccess(claims -> context.attach(this, claims)));
  }

  @Override
  public void onBackendRequest(FilterContext context, MultiMap headers) {
    Map<String, String> claimHeaders = policy.claimHeaders();
    claimHeaders.values().forEach(headers::remove);
    if (context.attached(this) instanceof JsonObject claims) {
      claimHeaders.forEach((claim, header) -> {
        Object value = claims.getValue(claim);
        if (value != null) {
          String text = value.toString();
          if (FieldSyntax.isFieldValue(text)) {
            headers.set(header, text);
          }
        }
      });
    }
  }
}
