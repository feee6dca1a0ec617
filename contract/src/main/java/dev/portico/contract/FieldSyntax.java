package dev.portico.contract;

/**
 * The syntax of HTTP fields (RFC 9110 5.1, 5.5, 5.6.2; RFC 9113 8.2.1), for every name and value
 * Portico writes into a message: fields copied from a client or a backend, and fields a site or a
 * token sets. A Java string's chars above 0xFF are refused too: Netty writes a header char as its
 * low byte, so U+010A would reach the wire as LF.
 */
public final class FieldSyntax {

  /** {@code tchar} (RFC 9110 5.6.2), indexed by ASCII code. */
  private static final boolean[] TCHAR = new boolean[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[c - 'a' + 'A'] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
  }

  private FieldSyntax() {
  }

  /** A token (RFC 9110 5.6.2): what a field name and a method are. */
  public static boolean isToken(CharSequence text) {
    int length = text.length();
    if (length == 0) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= 128 || !TCHAR[c]) {
        return false;
      }
    }
    return true;
  }

  /** A field name as HTTP/2 allows it (RFC 9113 8.2.1): a token without upper-case letters. */
  public static boolean isLowerCaseToken(CharSequence text) {
    if (!isToken(text)) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return false;
      }
    }
    return true;
  }

  /**
   * A field value (RFC 9110 5.5): visible ASCII, obs-text (0x80-0xFF), and spaces or tabs
   * between them, never at either end (RFC 9113 8.2.1); no CR, LF, NUL or other control.
   */
  public static boolean isFieldValue(CharSequence text) {
    int length = text.length();
    if (length == 0) {
      return true;
    }
    if (isWhitespace(text.charAt(0)) || isWhitespace(text.charAt(length - 1))) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c < 0x20 ? c != '\t' : c == 0x7f || c > 0xff) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the list field value {@code list} (RFC 9110 5.6.1: elements separated by commas,
   * with optional spaces or tabs around them) has {@code element} as one of its elements, in any
   * letter case. Only whole elements count: {@code c} does not list {@code chunked}.
   */
  public static boolean lists(CharSequence list, CharSequence element) {
    int length = list.length();
    int from = 0;
    while (from <= length) {
      int end = from;
      while (end < length && list.charAt(end) != ',') {
        end++;
      }
      if (isElement(list, from, end, element)) {
        return true;
      }
      from = end + 1;
    }
    return false;
  }

  /** The last element of the list field value {@code list}, without its surrounding whitespace ("" for none). */
  public static String lastElement(CharSequence list) {
    int end = list.length();
    while (end > 0) {
      int start = end;
      while (start > 0 && list.charAt(start - 1) != ',') {
        start--;
      }
      int from = trimStart(list, start, end);
      int to = trimEnd(list, from, end);
      if (to > from) {
        return list.subSequence(from, to).toString();
      }
      end = start - 1;
    }
    return "";
  }

  /** Whether {@code list}'s chars from {@code start} to {@code end}, trimmed, are {@code element} in any letter case. */
  private static boolean isElement(CharSequence list, int start, int end, CharSequence element) {
    int from = trimStart(list, start, end);
    int to = trimEnd(list, from, end);
    if (to - from != element.length()) {
      return false;
    }
    for (int i = 0; i < to - from; i++) {
      char a = list.charAt(from + i);
      char b = element.charAt(i);
      if (a != b && Character.toLowerCase(a) != Character.toLowerCase(b)) {
        return false;
      }
    }
    return true;
  }

  private static int trimStart(CharSequence text, int start, int end) {
    while (start < end && isWhitespace(text.charAt(start))) {
      start++;
    }
    return start;
  }

  private static int trimEnd(CharSequence text, int start, int end) {
    while (end > start && isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    return end;
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t';
  }
}
