package dev.portico.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A request target in the one form the edge decides on and forwards: the path normalised once,
 * the query as sent. Policies look at {@link #startsWith} and the backend receives
 * {@link #target()}, so what was matched is what is forwarded.
 *
 * <p>The path (RFC 3986): percent-encoded unreserved characters ({@code ALPHA DIGIT - . _ ~}) are
 * decoded and every other escape is written with upper-case hex; dot-segments are removed (5.2.4)
 * and runs of {@code /} merged; characters a path may not hold ({@code " < > [ ] ^ ` { | }} and
 * bytes above 0x7F) are percent-encoded. Refused: {@code ..} above the root, an encoded {@code /}
 * or {@code \} (a backend may decode either into a separator), a raw {@code \}, space or {@code #},
 * control characters raw or encoded, malformed escapes, bytes above 0x7F that are not UTF-8
 * (overlong forms decode to {@code /} or {@code .} in some servers), and segments of dots and
 * spaces with path parameters or trailing spaces ({@code ..;x}, {@code ...}, {@code ..%20}),
 * which some servers resolve as dot-segments.
 *
 * <p>The query is not normalised; raw bytes above 0x7F are percent-encoded (forwarded raw they
 * would be re-encoded, and changed, on the way out) and control characters, space and {@code #}
 * are refused.
 *
 * <p>Prefix matching is on the <em>match form</em>, which reads the path as the most lenient
 * common backends do, so a prefix guards every spelling of what it names: each segment's
 * {@code ;parameters} (or {@code %3B...}) removed (Tomcat, Spring), trailing dots and spaces removed
 * (Windows), empty segments left out, ASCII lower-cased (case-insensitive file systems). A request
 * that matches more than the owner meant is only asked for more credentials; none matches less.
 * Work is linear in the length of the target.
 */
public final class RequestPath {

  /** The target of {@code OPTIONS *}: about the server, no path; matches no prefix. */
  public static final RequestPath ASTERISK = new RequestPath("*", null, "*", "*");

  /**
   * The path characters normalisation keeps as they are: unreserved and sub-delims but {@code ;}
   * (path parameters), {@code :}, {@code @} and {@code /}.
   */
  private static final boolean[] VERBATIM = new boolean[0x80];

  static {
    for (int c = 0; c < 0x80; c++) {
      VERBATIM[c] = c != ';' && (PercentEncoding.isUnreserved(c) || "!$&'()*+,=:@/".indexOf(c) >= 0);
    }
  }

  private final String path;
  private final String query;
  private final String target;
  /** Computed when a policy first asks (most sites have no path policy); racy but idempotent, like String.hash. */
  private String matchForm;

  private RequestPath(String path, String query, String target, String matchForm) {
    this.path = path;
    this.query = query;
    this.target = target;
    this.matchForm = matchForm;
  }

  /** A target that is refused; the message says why without echoing the target. */
  public static final class InvalidPathException extends IllegalArgumentException {
    InvalidPathException(String reason) {
      super(reason);
    }
  }

  /** Normalises an origin-form target ({@code /path?query}) or {@code *}. */
  public static RequestPath parse(String target) {
    if (target.equals("*")) {
      return ASTERISK;
    }
    if (!target.startsWith("/")) {
      throw new InvalidPathException("the path does not start with /");
    }
    int queryStart = target.indexOf('?');
    int end = queryStart < 0 ? target.length() : queryStart;
    return isNormal(target, end) ? normal(target, queryStart) : normalise(target, queryStart, end);
  }

  /**
   * Whether the path part of {@code target} (up to {@code end}) is its own normal form: only
   * {@link #VERBATIM} characters, no empty segment but a trailing one, no segment that starts
   * with a dot — so no escape to decode, nothing to encode or refuse, no dot-segment and no
   * segment the match form would refuse. Most targets are.
   */
  private static boolean isNormal(String target, int end) {
    char previous = '/';
    for (int i = 1; i < end; i++) {
      char c = target.charAt(i);
      if (c >= 0x80 || !VERBATIM[c] || previous == '/' && (c == '/' || c == '.')) {
        return false;
      }
      previous = c;
    }
    return true;
  }

  /** A target whose path {@link #isNormal is normal}: kept as it is, the match form computed when asked. */
  private static RequestPath normal(String target, int queryStart) {
    if (queryStart < 0) {
      return new RequestPath(target, null, target, null);
    }
    String query = PercentEncoding.query(target, queryStart + 1);
    String path = target.substring(0, queryStart);
    boolean queryAsSent = query.length() == target.length() - queryStart - 1;
    return new RequestPath(path, query, queryAsSent ? target : path + "?" + query, null);
  }

  /** The general case: each segment decoded, checked and re-encoded, dot-segments resolved. */
  static RequestPath normalise(String target, int queryStart, int end) {
    List<String> segments = new ArrayList<>();
    List<String> names = new ArrayList<>();  // each segment's match name
    boolean directory = false;  // whether the path ends with '/'
    int start = 1;
    while (true) {
      int slash = target.indexOf('/', start);
      if (slash < 0 || slash > end) {
        slash = end;
      }
      String segment = PercentEncoding.segment(target, start, slash);
      switch (segment) {
        case "", "." -> directory = true;
        case ".." -> {
          if (segments.isEmpty()) {
            throw new InvalidPathException("the path climbs above the root");
          }
          segments.remove(segments.size() - 1);
          names.remove(names.size() - 1);
          directory = true;
        }
        default -> {
          segments.add(segment);
          names.add(matchName(segment));
          directory = false;
        }
      }
      if (slash == end) {
        break;
      }
      start = slash + 1;
    }
    String query = queryStart < 0 ? null : PercentEncoding.query(target, queryStart + 1);
    String path = join(segments, directory);
    return new RequestPath(path, query, query == null ? path : path + "?" + query, matchForm(names, directory));
  }

  /**
   * The form a policy's path prefix is compared in (see {@link #startsWith}): the prefix's own
   * match form, so {@code /API/} and {@code /api/} guard the same paths.
   */
  public static String prefixForm(String prefix) {
    if (prefix.indexOf('?') >= 0) {
      throw new InvalidPathException("a path prefix has no query");
    }
    RequestPath parsed = parse(prefix);
    if (parsed == ASTERISK) {
      throw new InvalidPathException("the path does not start with /");
    }
    return parsed.matchForm();
  }

  /** The normalised path, as forwarded. */
  public String path() {
    return path;
  }

  /** The query as sent (high bytes percent-encoded), without {@code ?}; {@code null} when there was none. */
  public String query() {
    return query;
  }

  /** What the backend receives: the normalised path and the query. */
  public String target() {
    return target;
  }

  /** Whether this path lies under {@code prefixForm}, a prefix in the form {@link #prefixForm} returns. */
  public boolean startsWith(String prefixForm) {
    return this != ASTERISK && matchForm().startsWith(prefixForm);
  }

  /** The match form (see the class comment); for a normal path, from its segments as they are. */
  String matchForm() {
    String form = matchForm;
    if (form == null) {
      List<String> names = new ArrayList<>();
      int start = 1;
      for (int slash = path.indexOf('/', start); slash >= 0; slash = path.indexOf('/', start)) {
        names.add(matchName(path.substring(start, slash)));
        start = slash + 1;
      }
      boolean directory = start == path.length();
      if (!directory) {
        names.add(matchName(path.substring(start)));
      }
      form = matchForm(names, directory);
      matchForm = form;
    }
    return form;
  }

  @Override
  public String toString() {
    return target();
  }

  private static String join(List<String> segments, boolean directory) {
    if (segments.isEmpty()) {
      return "/";
    }
    StringBuilder path = new StringBuilder();
    for (String segment : segments) {
      path.append('/').append(segment);
    }
    return directory ? path.append('/').toString() : path.toString();
  }

  private static String matchForm(List<String> names, boolean directory) {
    StringBuilder match = new StringBuilder();
    boolean lastEmpty = directory;
    for (String name : names) {
      if (!name.isEmpty()) {
        match.append('/').append(name);
      }
      lastEmpty = name.isEmpty();
    }
    if (match.isEmpty() || directory || lastEmpty) {
      match.append('/');
    }
    return match.toString();
  }

  /** A segment without its parameters and trailing dots and spaces, lower-cased. */
  private static String matchName(String segment) {
    int cut = segment.indexOf(';');
    int encoded = segment.indexOf("%3B");
    if (cut < 0 || (encoded >= 0 && encoded < cut)) {
      cut = encoded;
    }
    String name = cut < 0 ? segment : segment.substring(0, cut);
    int keep = name.length();
    while (keep > 0) {
      if (name.charAt(keep - 1) == '.') {
        keep--;
      } else if (keep >= 3 && name.startsWith("%20", keep - 3)) {
        keep -= 3;
      } else {
        break;
      }
    }
    if (keep == 0 && name.indexOf('.') >= 0) {
      throw new InvalidPathException("the path holds a segment of dots and spaces with parameters or spaces");
    }
    return name.substring(0, keep).toLowerCase(Locale.ROOT);
  }
}
