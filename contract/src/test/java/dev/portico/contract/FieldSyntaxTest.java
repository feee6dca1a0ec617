package dev.portico.contract;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldSyntaxTest {

  @Test
  void tokensAreTcharsOnly() {
    assertTrue(FieldSyntax.isToken("X-Forwarded-For"));
    assertTrue(FieldSyntax.isToken("!#$%&'*+-.^_`|~09azAZ"));
    for (String bad : new String[] {"", "a b", "a:", "a\r", "a\n", "a\u0000", "(a)", "a/b", "\u00e4", "a\u007f",
        "a\u010a"}) {
      assertFalse(FieldSyntax.isToken(bad), bad);
    }
  }

  @Test
  void http2NamesAreLowerCaseTokens() {
    assertTrue(FieldSyntax.isLowerCaseToken("x-a"));
    assertFalse(FieldSyntax.isLowerCaseToken("X-a"));
    assertFalse(FieldSyntax.isLowerCaseToken(":path"));
  }

  @Test
  void valuesHoldNoControlsNorOuterWhitespace() {
    assertTrue(FieldSyntax.isFieldValue(""));
    assertTrue(FieldSyntax.isFieldValue("a b\tc"));
    assertTrue(FieldSyntax.isFieldValue("caf\u00e9"));  // obs-text, as ISO-8859-1 decoding gives it
    for (String bad : new String[] {"a\rb", "a\nb", "a\u0000b", "a\u0001", "a\u007f", " a", "a ", "\ta", "a\t",
        "a\u010ab", "a\u010db", "\u2028"}) {
      assertFalse(FieldSyntax.isFieldValue(bad), bad);
    }
  }

  @Test
  void listsHoldWholeElementsOnly() {
    assertTrue(FieldSyntax.lists("keep-alive, close", "close"));
    assertTrue(FieldSyntax.lists("keep-alive,\tClose", "close"));
    assertTrue(FieldSyntax.lists(",, x-a ,", "X-A"));
    for (String list : new String[] {"c", "clos", "closed", "x-close", "", ",", "keep-alive"}) {
      assertFalse(FieldSyntax.lists(list, "close"), list);
    }
  }

  @Test
  void theLastElementIsTheLastNonEmptyOne() {
    assertEquals("chunked", FieldSyntax.lastElement("gzip,\tchunked"));
    assertEquals("gzip", FieldSyntax.lastElement("chunked, gzip , ,"));
    assertEquals("c", FieldSyntax.lastElement("c"));
    assertEquals("", FieldSyntax.lastElement(" , "));
  }
}
