package dev.portico.contract;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Routes that contradict each other are refused when a site is read: a route that an earlier one
 * with the same path always takes first (it would never be chosen), and two exact or prefix paths
 * that differ only in what a lenient backend ignores ({@code /API/} beside {@code /api/}: letter
 * case, trailing dots), which would make every request to them ambiguous.
 */
final class RouteConflicts {

  private RouteConflicts() {
  }

  static void check(List<PathRoute> routes) {
    Map<String, List<Integer>> samePath = new HashMap<>();
    Map<String, Integer> lenientPaths = new HashMap<>();
    for (int j = 0; j < routes.size(); j++) {
      PathRoute route = routes.get(j);
      List<Integer> earlier = samePath.computeIfAbsent(route.kind() + " " + route.path(), key -> new ArrayList<>());
      for (int i : earlier) {
        if (covers(routes.get(i), route)) {
          throw new InvalidSiteException("routes[" + j + "]", "routes[" + j + "] is never chosen: routes[" + i
              + "] has the same " + route.kind().field() + " and takes every request it would");
        }
      }
      earlier.add(j);
      if (route.kind() != PathRoute.Kind.REGEX) {
        Integer other = lenientPaths.putIfAbsent(route.kind() + " " + RequestPath.prefixForm(route.path()), j);
        if (other != null && !routes.get(other).path().equals(route.path())) {
          String field = "routes[" + j + "]." + route.kind().field();
          throw new InvalidSiteException(field, field + " differs from routes[" + other + "]'s only in letter case or"
              + " trailing dots, which backends may read as the same path: use one spelling");
        }
      }
    }
  }

  /** Whether {@code first} takes every request {@code later} would (they have the same path). */
  private static boolean covers(PathRoute first, PathRoute later) {
    boolean methods = first.methods() == null || later.methods() != null && first.methods().containsAll(later.methods());
    boolean header = first.header() == null || later.header() != null
        && first.header().name().equalsIgnoreCase(later.header().name())
        && first.header().value().equals(later.header().value());
    return methods && header;
  }
}
