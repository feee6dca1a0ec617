package dev.portico.admin;

import dev.portico.contract.FieldSyntax;
import dev.portico.contract.InvalidSiteException;
import dev.portico.contract.RedisKeys;
import dev.portico.contract.RouteExplainer;
import dev.portico.contract.Site;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request a resolve call asks about beside its host ({@code ?path=/api/x&method=POST&header=X-Beta:%201}):
 * which route of the winning site takes it, and why ({@link RouteExplainer}).
 */
record RouteQuery(String path, String method, Map<String, String> headers) {

  private static final int MAX_HEADERS = 20;

  /** The query of {@code context}, or {@code null} when it names no path; 400 naming the parameter at fault. */
  static RouteQuery of(RoutingContext context) {
    String path = context.queryParams().get("path");
    if (path == null) {
      return null;
    }
    if (path.length() > 8192) {
      throw ApiError.badRequest("path", "path is a request target of at most 8192 characters");
    }
    String method = context.queryParams().get("method") == null ? "GET" : context.queryParams().get("method");
    if (method.length() > 32 || !FieldSyntax.isToken(method)) {
      throw ApiError.badRequest("method", "method is a token such as GET");
    }
    List<String> given = context.queryParams().getAll("header");
    if (given.size() > MAX_HEADERS) {
      throw ApiError.badRequest("header", "at most " + MAX_HEADERS + " headers");
    }
    Map<String, String> headers = new HashMap<>();
    for (String header : given) {
      int colon = header.indexOf(':');
      String name = colon < 0 ? "" : header.substring(0, colon).trim();
      String value = colon < 0 ? "" : header.substring(colon + 1).trim();
      if (!FieldSyntax.isToken(name) || !FieldSyntax.isFieldValue(value) || header.length() > 4352) {
        throw ApiError.badRequest("header", "header is 'Name: value'");
      }
      headers.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
    }
    return new RouteQuery(path, method, headers);
  }

  /** The route explanation for the site stored under {@code pattern}. */
  Future<JsonObject> explain(Records records, String pattern) {
    return records.get(RedisKeys.site(pattern)).map(stored -> {
      if (stored == null) {
        return new JsonObject().put("outcome", "no site").put("why", "the site was deleted meanwhile");
      }
      try {
        return RouteExplainer.explain(Site.fromJson(stored), path, method,
            name -> headers.get(name.toLowerCase(Locale.ROOT)));
      } catch (InvalidSiteException e) {
        return new JsonObject().put("outcome", "invalid site").put("status", 502).put("why", e.getMessage());
      }
    });
  }
}
