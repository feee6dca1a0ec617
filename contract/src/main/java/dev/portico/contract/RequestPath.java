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

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /**
   * The path characters normalisation keeps as they are: unreserved and sub-delims but {@code ;}
   * (path parameters), {@code :}, {@code @} and {@code /}.
   */
  private static final boolean[] VERBATIM = new boolean[0x80];

  static {
    for (int c = 0; c < 0x80; c++) {
      VERBATIM[c] = c != ';' && (isUnreserved(c) || "!$&'()*+,=:@/".indexOf(c) >= 0);
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
    String query = query(target, queryStart + 1);
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
      String segment = segment(target, start, slash);
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
    String query = queryStart < 0 ? null : query(target, queryStart + 1);
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

  /** One segment of {@code target} between {@code start} and {@code end}, normalised. */
  private static String segment(String target, int start, int end) {
    StringBuilder out = new StringBuilder(end - start);
    Utf8 utf8 = new Utf8();
    for (int i = start; i < end; i++) {
      char c = target.charAt(i);
      boolean escaped = c == '%';
      int b;
      if (escaped) {
        if (i + 2 >= end) {
          throw new InvalidPathException("a % is not followed by two hex digits");
        }
        int high = Character.digit(target.charAt(i + 1), 16);
        int low = Character.digit(target.charAt(i + 2), 16);
        if (high < 0 || low < 0) {
          throw new InvalidPathException("a % is not followed by two hex digits");
        }
        b = high << 4 | low;
        i += 2;
      } else if (c > 0xff) {
        throw new InvalidPathException("the path holds a character that is not a byte");
      } else {
        b = c;
      }
      if (b >= 0x80) {
        utf8.accept(b);
        appendEscaped(out, b);
        continue;
      }
      utf8.acceptAscii();
      if (b < 0x20 || b == 0x7f) {
        throw new InvalidPathException("the path holds a control character");
      }
      if (escaped) {
        if (b == '/' || b == '\\') {
          throw new InvalidPathException("the path holds an encoded / or \\");
        }
        if (isUnreserved(b)) {
          out.append((char) b);
        } else {
          appendEscaped(out, b);
        }
      } else if (b == ' ' || b == '\\' || b == '#') {
        throw new InvalidPathException("the path holds a space, \\ or #");
      } else if (isUnreserved(b) || "!$&'()*+,;=:@".indexOf(b) >= 0) {
        out.append(c);
      } else {
        appendEscaped(out, b);
      }
    }
    utf8.end();
    return out.toString();
  }

  private static String query(String target, int start) {
    StringBuilder out = null;
    for (int i = start; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= 0x20 || c == 0x7f || c == '#') {
        throw new InvalidPathException("the query holds a control character, space or #");
      }
      if (c > 0xff) {
        throw new InvalidPathException("the query holds a character that is not a byte");
      }
      if (c >= 0x80 && out == null) {
        out = new StringBuilder(target.length() - start + 16).append(target, start, i);
      }
      if (c >= 0x80) {
        appendEscaped(out, c);
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? target.substring(start) : out.toString();
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

  private static boolean isUnreserved(int b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' || b == '.'
        || b == '_' || b == '~';
  }

  private static void appendEscaped(StringBuilder out, int b) {
    out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
  }

  /** Checks that bytes above 0x7F form well-formed UTF-8 (Unicode table 3-7: no overlong forms, no surrogates). */
  private static final class Utf8 {
    private int pending;
    private int low = 0x80;
    private int high = 0xbf;

    void accept(int b) {
      if (pending > 0) {
        if (b < low || b > high) {
          throw invalid();
        }
        pending--;
        low = 0x80;
        high = 0xbf;
        return;
      }
      if (b >= 0xc2 && b <= 0xdf) {
        pending = 1;
      } else if (b >= 0xe0 && b <= 0xef) {
        pending = 2;
        low = b == 0xe0 ? 0xa0 : 0x80;
        high = b == 0xed ? 0x9f : 0xbf;
      } else if (b >= 0xf0 && b <= 0xf4) {
        pending = 3;
        low = b == 0xf0 ? 0x90 : 0x80;
        high = b == 0xf4 ? 0x8f : 0xbf;
      } else {
        throw invalid();
      }
    }

    void acceptAscii() {
      if (pending > 0) {
        throw invalid();
      }
    }

    void end() {
      acceptAscii();
    }

    private static InvalidPathException invalid() {
      return new InvalidPathException("the path holds bytes above 0x7F that are not UTF-8");
    }
  }
}
