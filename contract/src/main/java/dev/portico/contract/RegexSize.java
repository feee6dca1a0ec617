package dev.portico.contract;

/**
 * How large a regular expression's program gets: RE2/J is linear in the input, but it compiles
 * {@code (a{1000}){1000}} into a million instructions (seconds to compile, and each request's scan
 * multiplied by that). Counted repetitions multiply the program, so their product is bounded;
 * every count is included, nested or not, which can only over-count.
 */
final class RegexSize {

  private RegexSize() {
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
