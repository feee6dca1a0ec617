package dev.portico.contract;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded random request targets built from the pieces path tricks are made of, for a bounded
 * time. For every target the normaliser accepts: normalising again changes nothing; the path has
 * no dot-segment, no {@code //}, no encoded unreserved character, no lower-case hex; and targets
 * that a lenient backend resolves to the same path get the same prefix decision.
 */
class RequestPathFuzzTest {

  private static final long SEED = 0x5eed_9a7b5L;
  private static final long BUDGET_NANOS = 8_000_000_000L;
  private static final int MAX_CASES = 3_000_000;
  private static final List<String> PIECES = List.of("/", "/", "/", "//", ".", "..", "%2e", "%2E", "%2e%2e", "a", "A",
      "p", "P", "i", "I", "api", "API", "x", "%61", "%41", "%70", "%69", "%49", ";", ";x=1", "%3B", "%3b", "%20", " ",
      "%2F", "%2f", "%5C", "\\", "%", "%zz", "%25", "%252f", "%C3%A9", "\u00c3\u00a9", "\u00e9", "%c0%ae", "~", "%7E",
      "%7e", "%00", "\r", "?", "?q=/../", "#", "|", "-", "_", "%5F", "@", ":", "+", "é");
  private static final List<String> PREFIXES = List.of("/api/", "/api", "/a/", "/", "/API/x", "/a/p/");
  private static final Pattern ENCODED_UNRESERVED = Pattern.compile(
      "%(3[0-9]|4[1-9A-Fa-f]|5[0-9Aa]|6[1-9A-Fa-f]|7[0-9Aa]|2[DEde]|5[Ff]|7[Ee])");
  private static final Pattern TRAILING_DOTS_AND_SPACES = Pattern.compile("[. ]+$");
  private static final Pattern LOWER_HEX = Pattern.compile("%([0-9A-F][a-f]|[a-f][0-9A-Fa-f])");

  @Test
  void invariantsHoldForRandomTargets() {
    Random random = new Random(SEED);
    List<String> prefixForms = PREFIXES.stream().map(RequestPath::prefixForm).toList();
    Map<String, String> decisionsByResolved = new HashMap<>();
    Map<String, String> exampleByResolved = new HashMap<>();
    long start = System.nanoTime();
    int cases = 0;
    int accepted = 0;
    while (cases < MAX_CASES && System.nanoTime() - start < BUDGET_NANOS) {
      cases++;
      StringBuilder target = new StringBuilder("/");
      int pieces = 1 + random.nextInt(10);
      for (int i = 0; i < pieces; i++) {
        target.append(PIECES.get(random.nextInt(PIECES.size())));
      }
      String input = target.toString();
      RequestPath parsed;
      try {
        parsed = RequestPath.parse(input);
      } catch (RequestPath.InvalidPathException refused) {
        continue;
      } catch (RuntimeException e) {
        fail("seed " + SEED + ", case " + cases + ": " + escape(input) + " threw " + e);
        return;
      }
      accepted++;
      String path = parsed.path();
      Supplier<String> context = () -> escape(input) + " -> " + escape(parsed.target());
      assertEquals(parsed.target(), RequestPath.parse(parsed.target()).target(), context);
      int queryStart = input.indexOf('?');
      RequestPath general = RequestPath.normalise(input, queryStart, queryStart < 0 ? input.length() : queryStart);
      assertEquals(general.target(), parsed.target(), context);  // the fast path for normal targets agrees
      assertEquals(general.matchForm(), parsed.matchForm(), context);
      assertFalse(path.contains("//"), context);
      assertFalse(path.contains("/./") || path.contains("/../") || path.endsWith("/.") || path.endsWith("/.."), context);
      assertFalse(ENCODED_UNRESERVED.matcher(path).find(), context);
      assertFalse(LOWER_HEX.matcher(path).find(), context);
      assertTrue(path.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '\\' && c != '#'), context);
      String resolved = resolve(parsed.target());
      if (resolved == null) {
        continue;
      }
      StringBuilder decision = new StringBuilder();
      for (String prefix : prefixForms) {
        decision.append(parsed.startsWith(prefix) ? '1' : '0');
      }
      String earlier = decisionsByResolved.putIfAbsent(resolved, decision.toString());
      exampleByResolved.putIfAbsent(resolved, input);
      if (earlier != null && !earlier.equals(decision.toString())) {
        fail("seed " + SEED + ": " + escape(input) + " and " + escape(exampleByResolved.get(resolved))
            + " both resolve to " + escape(resolved) + " but get prefix decisions " + decision + " and " + earlier);
      }
    }
    assertTrue(accepted > 1_000, "too few accepted targets to mean anything: " + accepted + " of " + cases);
    System.out.printf("RequestPathFuzzTest: %d targets, %d accepted, %d distinct resolved paths, %d ms%n", cases,
        accepted, decisionsByResolved.size(), (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * The path a lenient backend serves for a forwarded target, written independently of the
   * normaliser: the query dropped, every escape decoded (a double-decoding backend is not
   * modelled), each segment's {@code ;parameters} and trailing dots and spaces removed, empty
   * and {@code .} segments dropped, {@code ..} resolved, lower-cased; {@code null} when it holds
   * a decoded separator, which such a backend would split on.
   */
  private static String resolve(String target) {
    int query = target.indexOf('?');
    String decoded = decode(query < 0 ? target : target.substring(0, query));
    if (decoded.indexOf('\\') >= 0) {
      return null;
    }
    Deque<String> segments = new ArrayDeque<>();
    String[] raw = decoded.split("/", -1);
    boolean directory = false;
    for (int i = 1; i < raw.length; i++) {
      String name = raw[i];
      int semicolon = name.indexOf(';');
      if (semicolon >= 0) {
        name = name.substring(0, semicolon);
      }
      if (!name.equals(".") && !name.equals("..")) {
        name = TRAILING_DOTS_AND_SPACES.matcher(name).replaceFirst("");
      }
      directory = name.isEmpty() || name.equals(".") || name.equals("..");
      if (name.equals("..")) {
        segments.pollLast();
      } else if (!name.isEmpty() && !name.equals(".")) {
        segments.addLast(name.toLowerCase(Locale.ROOT));
      }
    }
    String joined = "/" + String.join("/", segments);
    return directory && !segments.isEmpty() ? joined + "/" : joined;
  }

  private static String decode(String path) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%' && i + 2 < path.length()) {
        bytes.write(Integer.parseInt(path.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder();
    text.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
    return out.toString();
  }
}
