package dev.portico.lookup;

import dev.portico.contract.DomainPattern;
import dev.portico.contract.HostName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DomainTreeTest {

  private static final String[] PATTERNS = {
      "example.com", "shop.example.com", "*.example.com", "**.example.com", "api.*.example.com",
      "*.v1.example.com", "x.b.example.org", "a.*.example.org", "x.**.net", "**.net", "localhost",
      "bücher.example", "**.z",
  };

  private static DomainTree<String> tree(String... patterns) {
    DomainTree<String> tree = new DomainTree<>();
    for (String pattern : patterns) {
      DomainPattern parsed = DomainPattern.parse(pattern);
      tree.put(parsed, "site of " + parsed.text());
    }
    return tree;
  }

  private static String match(DomainTree<String> tree, String host) {
    DomainTree.Entry<String> entry = tree.match(HostName.canonical(host));
    return entry == null ? null : entry.pattern();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "none", value = {
      "example.com, example.com",
      "shop.example.com, shop.example.com",          // exact beats '*'
      "a.example.com, *.example.com",                // '*' beats '**'
      "a.b.example.com, **.example.com",             // '*' takes exactly one label
      "a.b.c.d.example.com, **.example.com",
      "api.v1.example.com, *.v1.example.com",        // the literal nearer the right wins
      "api.v2.example.com, api.*.example.com",
      "web.v2.example.com, **.example.com",
      "a.b.example.org, a.*.example.org",            // literal 'b' fails below, backtrack to '*'
      "x.b.example.org, x.b.example.org",
      "b.example.org, none",
      "x.y.net, x.**.net",                           // '**' takes the fewest labels first
      "y.x.net, **.net",
      "x.a.b.c.net, x.**.net",
      "net, none",                                   // '**' needs at least one label
      "localhost, localhost",                        // one label
      "LocalHost., localhost",                       // case and trailing dot
      "SHOP.Example.COM, shop.example.com",
      "xn--bcher-kva.example, xn--bcher-kva.example", // IDN, in punycode
      "other.com, none",
      "com, none",
      "example.com.evil.org, none",
  })
  void matchesByPriority(String host, String expected) {
    assertEquals(expected, match(tree(PATTERNS), host));
  }

  @Test
  void matchesTheLongestNames() {
    // 127 one-letter labels: 253 characters, the most a name may have
    String host = "a.".repeat(126) + "z";
    assertEquals(253, host.length());
    assertEquals("**.z", match(tree(PATTERNS), host));
    DomainTree<String> exact = tree(host);
    assertEquals(host, match(exact, host));
  }

  /**
   * The report's pattern (past the API's limit, as if written straight into Redis) and a name of
   * 122 labels: the walk tried every split of the name over the '**' labels (168 s); now each
   * (node, end of name) state is explored once.
   */
  @Test
  void manyAnyLabelsCostPolynomialSteps() {
    DomainTree<String> tree = new DomainTree<>();
    tree.put(DomainPattern.parseUnlimited("q.**.a.**.a.**.a.**.a.**.a.**"), "attack");
    tree.put(DomainPattern.parse("**.b"), "other");
    String name = "a.".repeat(121) + "a";
    assertNull(match(tree, name));
    int nodes = 14;
    assertTrue(tree.lastSteps() <= nodes * 123 * 124, tree.lastSteps() + " steps");
    assertEquals("q.**.a.**.a.**.a.**.a.**.a.**", match(tree, "q." + name));
    assertTrue(tree.lastSteps() <= nodes * 124 * 125, tree.lastSteps() + " steps");
  }

  @Test
  void catchAllServesOnlyWhatNothingElseDoes() {
    DomainTree<String> tree = tree("**", "*.example.com");
    assertEquals("*.example.com", match(tree, "a.example.com"));
    assertEquals("**", match(tree, "anything.else.org"));
    assertEquals("**", match(tree, "single"));
  }

  @Test
  void removalFallsBackToTheNextBestAndPrunes() {
    DomainTree<String> tree = tree(PATTERNS);
    assertEquals(PATTERNS.length, tree.size());
    assertEquals("site of *.example.com", tree.remove(DomainPattern.parse("*.example.com")));
    assertEquals("**.example.com", match(tree, "a.example.com"));
    assertNull(tree.remove(DomainPattern.parse("*.example.com")));
    assertEquals(PATTERNS.length - 1, tree.size());
    tree.remove(DomainPattern.parse("**.example.com"));
    assertNull(match(tree, "a.example.com"));
    assertEquals("api.*.example.com", match(tree, "api.v9.example.com"));
  }

  @Test
  void putReplacesTheValue() {
    DomainTree<String> tree = tree("example.com");
    assertEquals("site of example.com", tree.put(DomainPattern.parse("Example.COM."), "new"));
    assertEquals("new", tree.match("example.com").value());
    assertEquals(1, tree.size());
  }

  @Test
  void matchAllListsEveryMatchingPatternInTheOrderTheyWouldWin() {
    DomainTree<String> tree = tree(PATTERNS);
    assertEquals(java.util.List.of("*.v1.example.com", "api.*.example.com", "**.example.com"),
        tree.matchAll("api.v1.example.com").stream().map(DomainTree.Entry::pattern).toList());
    assertEquals(java.util.List.of("shop.example.com", "*.example.com", "**.example.com"),
        tree.matchAll("shop.example.com").stream().map(DomainTree.Entry::pattern).toList());
    assertEquals(java.util.List.of(), tree.matchAll("nothing.org"));
  }
}
