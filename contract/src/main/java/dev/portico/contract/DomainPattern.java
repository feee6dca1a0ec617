package dev.portico.contract;

import java.net.IDN;
import java.util.Arrays;

/**
 * A site's domain pattern: a host name whose labels may be {@code *} (exactly one label) or
 * {@code **} (one or more labels), such as {@code example.com}, {@code *.example.com},
 * {@code **.example.com} or {@code api.*.example.com}. Patterns are kept in canonical form:
 * lower case, no trailing dot, IDNs in punycode.
 *
 * <p>A pattern has at most {@link #MAX_ANY_LABELS} {@code **} labels: each one multiplies the ways
 * a name can be split over the pattern, and every matcher must stay cheap for names chosen by
 * anyone on the internet. Like a host name it has at most 253 characters, so at most 127 labels.
 */
public final class DomainPattern {

  public static final String ONE_LABEL = "*";
  public static final String ANY_LABELS = "**";
  /** The most {@code **} labels a pattern may have (the matchers are polynomial anyway). */
  public static final int MAX_ANY_LABELS = 2;

  /** How a pattern matches: by exact name or with wildcards. */
  public enum Kind { EXACT, WILDCARD }

  private final String text;
  private final String[] labels;
  private final boolean wildcard;
  /** The literal labels right of the rightmost wildcard, with the dot before them: every match ends so. */
  private final String literalSuffix;

  private DomainPattern(String text, String[] labels, boolean wildcard) {
    this.text = text;
    this.labels = labels;
    this.wildcard = wildcard;
    int wildcardEnd = 0;
    int end = 0;
    for (String label : labels) {
      end += label.length();
      if (label.equals(ONE_LABEL) || label.equals(ANY_LABELS)) {
        wildcardEnd = end;
      }
      end++;
    }
    this.literalSuffix = text.substring(wildcardEnd);
  }

  /**
   * Parses and canonicalises a pattern, within the limits every stored pattern must keep.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static DomainPattern parse(String pattern) {
    DomainPattern parsed = parseUnlimited(pattern);
    long anyLabels = Arrays.stream(parsed.labels).filter(ANY_LABELS::equals).count();
    if (anyLabels > MAX_ANY_LABELS) {
      throw new IllegalArgumentException("pattern '" + pattern + "' has " + anyLabels + " '**' labels (at most "
          + MAX_ANY_LABELS + ")");
    }
    return parsed;
  }

  /**
   * Parses a pattern as {@link #parse} does but without the limit on {@code **} labels: what a
   * pattern written straight into Redis may look like. Only for showing that the matchers stay
   * polynomial on such patterns (tests, benchmarks); Portico itself ignores them.
   */
  public static DomainPattern parseUnlimited(String pattern) {
    if (pattern == null || pattern.isEmpty()) {
      throw new IllegalArgumentException("pattern is empty");
    }
    String name = pattern.endsWith(".") ? pattern.substring(0, pattern.length() - 1) : pattern;
    String[] labels = name.split("\\.", -1);
    boolean wildcard = false;
    for (int i = 0; i < labels.length; i++) {
      String label = labels[i];
      if (label.equals(ONE_LABEL) || label.equals(ANY_LABELS)) {
        if (label.equals(ANY_LABELS) && i > 0 && labels[i - 1].equals(ANY_LABELS)) {
          throw new IllegalArgumentException("pattern '" + pattern + "' repeats '**'");
        }
        wildcard = true;
        continue;
      }
      labels[i] = canonicalLabel(pattern, label);
    }
    String text = String.join(".", labels);
    if (text.length() > HostName.MAX_LENGTH) {
      throw new IllegalArgumentException("pattern '" + pattern + "' is longer than " + HostName.MAX_LENGTH + " characters");
    }
    return new DomainPattern(text, labels, wildcard);
  }

  private static String canonicalLabel(String pattern, String label) {
    if (label.isEmpty()) {
      throw new IllegalArgumentException("pattern '" + pattern + "' has an empty label");
    }
    String ascii = label;
    if (!label.chars().allMatch(c -> c < 0x80)) {
      try {
        ascii = IDN.toASCII(label, IDN.ALLOW_UNASSIGNED);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("pattern '" + pattern + "' has an invalid label '" + label + "'");
      }
    }
    ascii = HostName.toLowerAscii(ascii);
    if (ascii.isEmpty() || ascii.length() > HostName.MAX_LABEL_LENGTH) {
      throw new IllegalArgumentException("pattern '" + pattern + "' has a label of " + ascii.length()
          + " characters (1 to " + HostName.MAX_LABEL_LENGTH + " allowed)");
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (!HostName.isLowerLabelChar(ascii.charAt(i))) {
        throw new IllegalArgumentException("pattern '" + pattern + "' has an invalid character in label '" + label + "'");
      }
    }
    return ascii;
  }

  /** The canonical text, as used in Redis keys. */
  public String text() {
    return text;
  }

  /** The labels, left to right. */
  public String[] labels() {
    return labels.clone();
  }

  public Kind kind() {
    return wildcard ? Kind.WILDCARD : Kind.EXACT;
  }

  public boolean isWildcard() {
    return wildcard;
  }

  /**
   * Whether this pattern matches a canonical host name on its own, regardless of any more
   * specific pattern that would win for it. Time O(pattern labels × host labels) whatever the
   * pattern: an edge runs this on its event loop over every cached host when a wildcard changes.
   */
  public boolean matches(String host) {
    if (!wildcard) {
      return text.equals(host);
    }
    if (!host.endsWith(literalSuffix)) {
      return false;      // most hosts, without splitting them
    }
    int[] starts = labelStarts(host);
    int hostLabels = starts.length - 1;
    // reach[j]: the pattern labels seen so far match exactly the host's first j labels
    boolean[] reach = new boolean[hostLabels + 1];
    reach[0] = true;
    for (String label : labels) {
      if (label.equals(ANY_LABELS)) {
        // one or more labels: j is reached if any i < j was
        boolean before = false;
        for (int j = 0; j <= hostLabels; j++) {
          boolean reached = reach[j];
          reach[j] = before;
          before |= reached;
        }
      } else {
        boolean any = label.equals(ONE_LABEL);
        for (int j = hostLabels; j > 0; j--) {
          reach[j] = reach[j - 1] && (any || sameLabel(host, starts[j - 1], starts[j] - 1, label));
        }
        reach[0] = false;
      }
    }
    return reach[hostLabels];
  }

  /** Where each label of {@code host} starts, then {@code host.length() + 1}. */
  private static int[] labelStarts(String host) {
    int count = 1;
    for (int i = 0; i < host.length(); i++) {
      if (host.charAt(i) == '.') {
        count++;
      }
    }
    int[] starts = new int[count + 1];
    for (int i = 0, label = 1; i < host.length(); i++) {
      if (host.charAt(i) == '.') {
        starts[label++] = i + 1;
      }
    }
    starts[count] = host.length() + 1;
    return starts;
  }

  private static boolean sameLabel(String host, int start, int end, String label) {
    return end - start == label.length() && host.regionMatches(start, label, 0, label.length());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DomainPattern other && text.equals(other.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
