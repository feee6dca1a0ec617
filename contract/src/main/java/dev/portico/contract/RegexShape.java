package dev.portico.contract;

/**
 * What a route's regular expression is like before it runs. Its size: RE2/J is linear in the input, but it compiles
 * {@code (a{1000}){1000}} into a million instructions (seconds to compile, and each request's scan
 * multiplied by that). Counted repetitions multiply the program, so their product is bounded;
 * every count is included, nested or not, which can only over-count. Its anchored literal start:
 * the text every match of {@code ^/files/[a-z]+} starts with ({@code /files/}), checked with
 * {@code startsWith} before the expression runs (a miss then costs nanoseconds, not a scan).
 */
final class RegexShape {

  private RegexShape() {
  }

  /** The literal text every match starts at position 0 with; empty when there is none to rely on. */
  static String anchoredLiteral(String regex) {
    if (!regex.startsWith("^") || regex.indexOf('|') >= 0) {
      return "";
    }
    StringBuilder literal = new StringBuilder();
    int i = 1;
    while (i < regex.length()) {
      char c = regex.charAt(i);
      if (c == '\\' && i + 1 < regex.length() && !Character.isLetterOrDigit(regex.charAt(i + 1))) {
        literal.append(regex.charAt(i + 1));
        i += 2;
      } else if (Character.isLetterOrDigit(c) && c < 0x80 || "/-_~%!&',;=:@\"<>#`".indexOf(c) >= 0) {
        literal.append(c);
        i++;
      } else {
        break;
      }
    }
    boolean lastOptional = i < regex.length() && "*?{".indexOf(regex.charAt(i)) >= 0;
    return lastOptional && !literal.isEmpty() ? literal.substring(0, literal.length() - 1) : literal.toString();
  }

  /** The product of the counts of every {@code {n}}, {@code {n,}} and {@code {n,m}} (m where given), capped. */
  static long repeatProduct(String regex) {
    long product = 1;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i++;  // an escaped character, \{ among them
      } else if (c == '{') {
        int close = regex.indexOf('}', i);
        long count = close < 0 ? -1 : largestCount(regex.substring(i + 1, close));
        if (count >= 0) {
          product = Math.min(Long.MAX_VALUE / 2, product * Math.max(1, count));
          i = close;
        }
      }
    }
    return product;
  }

  /** {@code n}, {@code n,} or {@code n,m}: the larger number; -1 when the braces hold anything else (a literal {). */
  private static long largestCount(String inside) {
    String[] parts = inside.split(",", -1);
    if (parts.length > 2 || parts[0].isEmpty()) {
      return -1;
    }
    long largest = 0;
    for (String part : parts) {
      if (part.length() > 9 || !part.chars().allMatch(Character::isDigit)) {
        return -1;
      }
      largest = part.isEmpty() ? largest : Math.max(largest, Long.parseLong(part));
    }
    return largest;
  }
}
