package dev.portico.contract;

/**
 * The forms of a request's path that routes are chosen by. The <em>strict form</em> is the
 * normalised path ({@link RequestPath#path()}) with each segment's {@code ;parameters} left out and
 * the segments that leaves empty dropped, letter case kept: exact, prefix and regex routes match
 * it. The <em>lenient form</em> is {@link RequestPath#matchForm()} (also lower-cased, trailing dots
 * and spaces and {@code %3B...} left out), which reads the path as the most lenient backends do; a
 * path whose two forms would choose different routes is refused ({@link SiteRoutes#AMBIGUOUS}).
 */
public final class RoutePaths {

  private RoutePaths() {
  }

  /** The strict form; the path itself when it holds no {@code ;} (most do). */
  public static String strictForm(RequestPath request) {
    String path = request.path();
    if (path.indexOf(';') < 0) {
      return path;
    }
    StringBuilder form = new StringBuilder(path.length());
    int start = 1;
    boolean lastEmpty = false;
    while (start <= path.length()) {
      int slash = path.indexOf('/', start);
      int end = slash < 0 ? path.length() : slash;
      int cut = path.indexOf(';', start);
      String name = path.substring(start, cut >= 0 && cut < end ? cut : end);
      if (!name.isEmpty()) {
        form.append('/').append(name);
      }
      lastEmpty = name.isEmpty();
      if (slash < 0) {
        break;
      }
      start = slash + 1;
    }
    if (form.isEmpty() || lastEmpty) {
      form.append('/');
    }
    return form.toString();
  }

  /**
   * Whether the lenient form of a path whose strict form is {@code strict} may differ from it:
   * an upper-case letter, an escape ({@code %20}, {@code %3B}) or a segment ending in a dot.
   */
  static boolean lenientMayDiffer(String strict) {
    int length = strict.length();
    for (int i = 0; i < length; i++) {
      char c = strict.charAt(i);
      if (c >= 'A' && c <= 'Z' || c == '%' || c == '.' && (i + 1 == length || strict.charAt(i + 1) == '/')) {
        return true;
      }
    }
    return false;
  }

  /** The number of segments of a route's path ({@code /api/} and {@code /api}: 1; {@code /}: 0). */
  static int segmentCount(String routePath) {
    int count = 0;
    for (int i = 0; i < routePath.length(); i++) {
      if (routePath.charAt(i) == '/' && i + 1 < routePath.length()) {
        count++;
      }
    }
    return count;
  }

  /**
   * The length of the part of a normalised {@code path} that holds its first {@code segments}
   * segments, not counting those that are only {@code ;parameters} (as the strict form does not):
   * {@code /api;v=1/x} with 1 segment is {@code /api;v=1}.
   */
  static int prefixLength(String path, int segments) {
    int end = 0;
    for (int counted = 0; counted < segments && end < path.length(); ) {
      int slash = path.indexOf('/', end + 1);
      int next = slash < 0 ? path.length() : slash;
      if (next > end + 1 && path.charAt(end + 1) != ';') {
        counted++;
      }
      end = next;
    }
    return end;
  }
}
