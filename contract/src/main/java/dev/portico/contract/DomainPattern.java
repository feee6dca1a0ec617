package dev.portico.contract;

import java.net.IDN;

/**
 * A site's domain pattern: a host name whose labels may be {@code *} (exactly one label) or
 * {@code **} (one or more labels), such as {@code example.com}, {@code *.example.com},
 * {@code **.example.com} or {@code api.*.example.com}. Patterns are kept in canonical form:
 * lower case, no trailing dot, IDNs in punycode.
 */
public final class DomainPattern {

  public static final String ONE_LABEL = "*";
  public static final String ANY_LABELS = "**";

  /** How a pattern matches: by exact name or with wildcards. */
  public enum Kind { EXACT, WILDCARD }

  private final String text;
  private final String[] labels;
  private final boolean wildcard;

  private DomainPattern(String text, String[] labels, boolean wildcard) {
    this.text = text;
    this.labels = labels;
    this.wildcard = wildcard;
  }

  /**
   * Parses and canonicalises a pattern.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static DomainPattern parse(String pattern) {
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
   * specific pattern that would win for it.
   */
  public boolean matches(String host) {
    if (!wildcard) {
      return text.equals(host);
    }
    String[] name = host.split("\\.", -1);
    return matches(name, labels.length - 1, name.length - 1);
  }

  private boolean matches(String[] name, int p, int n) {
    while (p >= 0) {
      String label = labels[p];
      if (label.equals(ANY_LABELS)) {
        // '**' takes one or more labels; try each split, shortest first.
        for (int take = 1; n - take + 1 >= 0; take++) {
          if (matches(name, p - 1, n - take)) {
            return true;
          }
        }
        return false;
      }
      if (n < 0 || !(label.equals(ONE_LABEL) || label.equals(name[n]))) {
        return false;
      }
      p--;
      n--;
    }
    return n < 0;
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
