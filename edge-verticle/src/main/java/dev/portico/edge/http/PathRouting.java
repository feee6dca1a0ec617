package dev.portico.edge.http;

import dev.portico.contract.PathRoute;
import dev.portico.contract.RequestPath;
import dev.portico.edge.pipeline.Answer;
import dev.portico.edge.route.Route;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

/**
 * What a path route changes on the way through the edge: the target the backend receives
 * ({@code stripPrefix}, {@code addPrefix}, with {@code X-Forwarded-Prefix} naming what was
 * stripped), or the answer the edge gives itself ({@code respond}, {@code redirect}).
 */
final class PathRouting {

  private static final String FORWARDED_PREFIX = "X-Forwarded-Prefix";

  private PathRouting() {
  }

  /** The request target the backend receives: the normalised one, rewritten as the route says. */
  static String backendUri(Route route, RequestPath request) {
    PathRoute path = route.pathRoute();
    if (path == null || !path.stripPrefix() && path.addPrefix() == null || request == RequestPath.ASTERISK) {
      return request.target();
    }
    String rewritten = path.forwardedPath(request);
    return request.query() == null ? rewritten : rewritten + "?" + request.query();
  }

  /** Sets {@code X-Forwarded-Prefix} to what {@code stripPrefix} removed (replacing whatever the client sent). */
  static void forwardedPrefix(Route route, RequestPath request, MultiMap headers) {
    PathRoute path = route.pathRoute();
    String stripped = path == null || request == RequestPath.ASTERISK ? null : path.strippedPrefix(request);
    if (stripped != null) {
      headers.set(FORWARDED_PREFIX, stripped);
    }
  }

  /** Whether the route answers at the edge instead of a backend. */
  static boolean answersAtEdge(Route route) {
    PathRoute path = route.pathRoute();
    return path != null && (path.respond() != null || path.redirect() != null);
  }

  /** The edge's answer for a route that {@link #answersAtEdge}. */
  static Answer answer(Route route, RequestPath request) {
    PathRoute path = route.pathRoute();
    if (path.redirect() != null) {
      String forwarded = request == RequestPath.ASTERISK ? "/" : path.forwardedPath(request);
      return new Answer(path.redirect().status(), null)
          .header(HttpHeaders.LOCATION, path.redirect().location(forwarded, request.query()));
    }
    PathRoute.Respond respond = path.respond();
    Answer answer = new Answer(respond.status(), respond.body().isEmpty() ? null : Buffer.buffer(respond.body()));
    respond.headers().forEach(answer::header);
    if (!respond.body().isEmpty() && !answer.headers().contains(HttpHeaders.CONTENT_TYPE)) {
      answer.header(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8");
    }
    return answer;
  }
}
