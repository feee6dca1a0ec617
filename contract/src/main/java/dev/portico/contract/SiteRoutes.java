package dev.portico.contract;

import com.google.re2j.Pattern;
import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A site's routes and the index that picks one per request ({@link #choose}): the exact routes
 * for the path, then the prefix routes from the longest to the shortest, then the regex routes in
 * the listed order; among routes with the same path, the listed order. A route whose method or
 * header does not fit is passed over for the next candidate; when none is left, the site's own
 * fields serve the request ({@link #SITE}). Exact and prefix lookups are hash lookups per
 * segment of the path, so their cost does not grow with the number of routes; regexes run only
 * when nothing else matched. Parsed once per site, read by any thread.
 */
public final class SiteRoutes {

  /** {@link #choose}: no route takes the request; the site's own fields serve it. */
  public static final int SITE = -1;
  /**
   * {@link #choose}: the path's lenient form ({@link RoutePaths}) would choose another route than
   * its strict form — {@code /API/x} where {@code /api/} has its own route: refused (400), as some
   * backend would serve it as a path whose policies it skipped.
   */
  public static final int AMBIGUOUS = -2;
  /** {@link #choose}: the path is longer than {@link SiteLimits#MAX_REGEX_PATH_CHARS} and only regexes are left (414). */
  public static final int TOO_LONG = -3;
  public static final SiteRoutes NONE = new SiteRoutes(List.of(), List.of());

  private final List<PathRoute> routes;
  private final PathRoute[] byIndex;
  private final Pattern[] patterns;
  /** Each regex route's {@link RegexShape#anchoredLiteral}, by route index. */
  private final String[] literals;
  private final int[] regexRoutes;
  private final RouteIndex strict;
  private final RouteIndex lenient;

  private SiteRoutes(List<PathRoute> routes, List<Pattern> patterns) {
    this.routes = List.copyOf(routes);
    this.byIndex = routes.toArray(new PathRoute[0]);
    this.patterns = patterns.toArray(new Pattern[0]);
    this.literals = routes.stream().map(route -> route.kind() == PathRoute.Kind.REGEX
        ? RegexShape.anchoredLiteral(route.path()) : "").toArray(String[]::new);
    List<Integer> regexes = new ArrayList<>();
    for (int i = 0; i < byIndex.length; i++) {
      if (byIndex[i].kind() == PathRoute.Kind.REGEX) {
        regexes.add(i);
      }
    }
    this.regexRoutes = regexes.stream().mapToInt(Integer::intValue).toArray();
    this.strict = new RouteIndex(byIndex, path -> path);
    this.lenient = new RouteIndex(byIndex, RequestPath::prefixForm);
  }

  /** The routes, checked against each other: no route that can never be chosen, no two paths a backend may read as one. */
  static SiteRoutes of(List<PathRoute> routes, List<Pattern> patterns) {
    RouteConflicts.check(routes);
    return routes.isEmpty() ? NONE : new SiteRoutes(routes, patterns);
  }

  public boolean isEmpty() {
    return routes.isEmpty();
  }

  public int size() {
    return routes.size();
  }

  public List<PathRoute> list() {
    return routes;
  }

  /** The route {@link #choose} answered with. */
  public PathRoute get(int index) {
    return byIndex[index];
  }

  /**
   * The index of the route that serves a request, or {@link #SITE}, {@link #AMBIGUOUS},
   * {@link #TOO_LONG}. {@code headers} gives a request header's first value by name.
   * {@code OPTIONS *} is served by a {@code prefix /} route if there is one, else by the site.
   */
  public int choose(RequestPath request, String method, Function<String, String> headers) {
    if (byIndex.length == 0) {
      return SITE;
    }
    if (request == RequestPath.ASTERISK) {
      return strict.first(strict.prefixes.get("/"), byIndex, method, headers);
    }
    String form = RoutePaths.strictForm(request);
    int fixed = strict.find(form, byIndex, method, headers);
    int winner = fixed != SITE ? fixed : regex(form, method, headers);
    if (winner == TOO_LONG || !RoutePaths.lenientMayDiffer(form)) {
      return winner;
    }
    int lenientFixed = lenient.find(request.matchForm(), byIndex, method, headers);
    int lenientWinner = lenientFixed != SITE ? lenientFixed : fixed == SITE ? winner : regex(form, method, headers);
    return lenientWinner == winner ? winner : lenientWinner == TOO_LONG ? TOO_LONG : AMBIGUOUS;
  }

  /** The first regex route, in listed order, that takes the request. */
  private int regex(String form, String method, Function<String, String> headers) {
    if (regexRoutes.length > 0 && form.length() > SiteLimits.MAX_REGEX_PATH_CHARS) {
      return TOO_LONG;
    }
    for (int i : regexRoutes) {
      if (form.startsWith(literals[i]) && byIndex[i].accepts(method, headers) && patterns[i].matcher(form).find()) {
        return i;
      }
    }
    return SITE;
  }

  /** Whether route {@code index}'s path matches the strict form {@code form} (its method and header aside). */
  boolean pathMatches(int index, String form) {
    PathRoute route = byIndex[index];
    return switch (route.kind()) {
      case EXACT -> form.equals(route.path());
      case PREFIX -> RouteIndex.isUnder(form, route.path());
      case REGEX -> form.length() <= SiteLimits.MAX_REGEX_PATH_CHARS && patterns[index].matcher(form).find();
    };
  }

  public JsonArray toJson() {
    JsonArray array = new JsonArray();
    routes.forEach(route -> array.add(route.toJson()));
    return array;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SiteRoutes that && routes.equals(that.routes);
  }

  @Override
  public int hashCode() {
    return routes.hashCode();
  }

  @Override
  public String toString() {
    return routes.toString();
  }

  /** Exact and prefix routes by path, in one form of paths (strict or lenient). */
  private static final class RouteIndex {
    private final Map<String, int[]> exact = new HashMap<>();
    private final Map<String, int[]> prefixes = new HashMap<>();
    /** Whether some prefix has this length: most candidate prefixes of a path are never looked up. */
    private final boolean[] prefixLengths;

    RouteIndex(PathRoute[] routes, Function<String, String> form) {
      int longest = 0;
      for (int i = 0; i < routes.length; i++) {
        PathRoute route = routes[i];
        if (route.kind() == PathRoute.Kind.REGEX) {
          continue;
        }
        String key = form.apply(route.path());
        Map<String, int[]> map = route.kind() == PathRoute.Kind.EXACT ? exact : prefixes;
        int[] before = map.getOrDefault(key, new int[0]);
        int[] after = java.util.Arrays.copyOf(before, before.length + 1);
        after[before.length] = i;
        map.put(key, after);
        if (route.kind() == PathRoute.Kind.PREFIX) {
          longest = Math.max(longest, key.length());
        }
      }
      prefixLengths = new boolean[longest + 1];
      prefixes.keySet().forEach(key -> prefixLengths[key.length()] = true);
    }

    /** The exact route, else the longest prefix route, that takes the request; {@link #SITE} when none. */
    int find(String path, PathRoute[] routes, String method, Function<String, String> headers) {
      int winner = first(exact.get(path), routes, method, headers);
      // candidate prefixes, longest first: /a/b/c, /a/b/, /a/b, /a/, /a, /
      for (int end = path.length(); winner == SITE && end > 0; ) {
        if (end < prefixLengths.length && prefixLengths[end]) {
          winner = first(prefixes.get(path.substring(0, end)), routes, method, headers);
        }
        end = path.charAt(end - 1) == '/' ? end - 1 : path.lastIndexOf('/', end - 1) + 1;
      }
      return winner;
    }

    int first(int[] candidates, PathRoute[] routes, String method, Function<String, String> headers) {
      if (candidates != null) {
        for (int i : candidates) {
          if (routes[i].accepts(method, headers)) {
            return i;
          }
        }
      }
      return SITE;
    }

    /** Segment-aware: {@code /api} is under {@code /api} and {@code /api/x}, not {@code /apix}; {@code /api/} needs the slash. */
    static boolean isUnder(String path, String prefix) {
      return path.startsWith(prefix) && (prefix.endsWith("/") || path.length() == prefix.length()
          || path.charAt(prefix.length()) == '/');
    }
  }
}
