package dev.portico.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Why a request gets the route it gets ({@code GET /api/v1/resolve/{host}?path=}): the route
 * {@link SiteRoutes#choose} picks, and every route whose path matches too, in the order they
 * were tried, each with why it lost or was passed over. Not on the request path: it may be slow.
 */
public final class RouteExplainer {

  private RouteExplainer() {
  }

  public static JsonObject explain(Site site, String target, String method, Function<String, String> headers) {
    JsonObject answer = new JsonObject().put("path", target).put("method", method);
    RequestPath path;
    try {
      path = RequestPath.parse(target);
    } catch (RequestPath.InvalidPathException e) {
      return answer.put("outcome", "refused").put("status", 400).put("why", e.getMessage());
    }
    SiteRoutes routes = site.routes();
    int chosen = routes.choose(path, method, headers);
    String form = path == RequestPath.ASTERISK ? "*" : RoutePaths.strictForm(path);
    answer.put("normalised", path.target()).put("strictForm", form);
    List<Integer> candidates = candidates(routes, path, form);
    JsonArray tried = new JsonArray();
    for (int i : candidates) {
      PathRoute route = routes.get(i);
      JsonObject entry = new JsonObject().put("index", i).put("route", route.describe());
      if (i == chosen) {
        entry.put("result", "chosen");
      } else if (!route.accepts(method, headers)) {
        entry.put("result", "passed over").put("why", route.methods() != null && !route.methods().contains(method)
            ? "method " + method + " is not one of " + route.methods().stream().sorted().toList()
            : "header " + route.header().name() + " is not '" + route.header().value() + "'");
      } else {
        entry.put("result", "lost").put("why", chosen >= 0 ? whyLost(routes.get(chosen), chosen, route, i)
            : "the request was refused before it");
      }
      tried.add(entry);
    }
    answer.put("candidates", tried).put("unmatched", routes.size() - candidates.size());
    return switch (chosen) {
      case SiteRoutes.SITE -> answer.put("outcome", "site").put("why", routes.isEmpty() ? "the site has no routes"
          : "no route takes the request: the site's own fields serve it").put("forwardedPath", path.target());
      case SiteRoutes.AMBIGUOUS -> answer.put("outcome", "ambiguous").put("status", 400).put("why", "read as lenient"
          + " backends read it (" + path.matchForm() + ": lower case, no trailing dots or ;parameters) the path would"
          + " choose another route, so the edge refuses it");
      case SiteRoutes.TOO_LONG -> answer.put("outcome", "too long").put("status", 414).put("why", "only regex routes"
          + " were left and the path is longer than " + SiteLimits.MAX_REGEX_PATH_CHARS + " characters");
      default -> answer.put("outcome", "route").put("chosen", chosen).put("route", routes.get(chosen).describe())
          .put("forwardedPath", forwarded(routes.get(chosen), path))
          .put("why", "exact routes first, then the longest prefix, then regexes in the listed order; among equal"
              + " paths the listed order; a route whose methods or header do not fit is passed over");
    };
  }

  /** Every route whose path matches, in the order {@link SiteRoutes#choose} tries them. */
  private static List<Integer> candidates(SiteRoutes routes, RequestPath path, String form) {
    List<Integer> matching = new ArrayList<>();
    for (int i = 0; i < routes.size(); i++) {
      PathRoute route = routes.get(i);
      boolean matches = path == RequestPath.ASTERISK
          ? route.kind() == PathRoute.Kind.PREFIX && route.path().equals("/") : routes.pathMatches(i, form);
      if (matches) {
        matching.add(i);
      }
    }
    matching.sort(Comparator.<Integer>comparingInt(i -> routes.get(i).kind().ordinal())
        .thenComparing(i -> routes.get(i).kind() == PathRoute.Kind.PREFIX ? -routes.get(i).path().length() : 0)
        .thenComparingInt(i -> i));
    return matching;
  }

  private static String whyLost(PathRoute winner, int winnerIndex, PathRoute loser, int loserIndex) {
    if (winner.kind() != loser.kind()) {
      return winner.kind() == PathRoute.Kind.EXACT ? "an exact route comes before prefix and regex routes"
          : "prefix routes come before regex routes";
    }
    if (winner.kind() == PathRoute.Kind.PREFIX && winner.path().length() != loser.path().length()) {
      return "the longer prefix " + winner.path() + " comes first";
    }
    return "routes[" + winnerIndex + "] is listed before routes[" + loserIndex + "]";
  }

  private static String forwarded(PathRoute route, RequestPath path) {
    if (route.respond() != null) {
      return null;
    }
    String forwardedPath = route.forwardedPath(path);
    return path.query() == null ? forwardedPath : forwardedPath + "?" + path.query();
  }
}
