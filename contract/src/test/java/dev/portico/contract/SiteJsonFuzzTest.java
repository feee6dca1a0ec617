package dev.portico.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random mutations of valid site JSON (wrong types, huge numbers, deep nesting, long
 * strings, unknown fields, NaN-like values, huge arrays, broken text) through {@link Site#fromJson}:
 * the answer is a valid site within {@link SiteLimits} that survives a round trip, or an
 * {@link InvalidSiteException} naming a field (none only when the text is no JSON object at all),
 * never another exception.
 *
 * <p>Runs for {@code -Dfuzz.seconds} (10 by default); {@code -Dfuzz.seed} replays a run, and a
 * failure names the seed of its case.
 */
class SiteJsonFuzzTest {

  private static final long SECONDS = Long.getLong("fuzz.seconds", 10);
  private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
  private static final String HASH = "pbkdf2-sha256$210000$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
  private static final String PEM = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----";
  /** Stands for a raw JSON token in the encoded text: the model cannot hold NaN or a 400-digit number. */
  private static final String RAW = "\u0001raw\u0001";

  @Test
  void mutatedSitesParseOrNameTheFieldAtFault() {
    Random seeds = new Random(SEED);
    long deadline = System.nanoTime() + SECONDS * 1_000_000_000L;
    int cases = 0;
    int valid = 0;
    while (System.nanoTime() < deadline || cases == 0) {
      long seed = seeds.nextLong();
      Random random = new Random(seed);
      String json = null;
      try {
        json = mutate(random, validSite(random));
        valid += check(json) ? 1 : 0;
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("fuzz case " + cases + " (run -Dfuzz.seed=" + SEED + ", case seed " + seed + ") on "
            + abbreviated(json) + ": " + e, e);
      }
      cases++;
    }
    System.out.println("SiteJsonFuzzTest: " + cases + " cases, " + valid + " valid, seed " + SEED);
    assertTrue(valid > 0 && valid < cases, valid + " of " + cases + " mutated sites were valid");
  }

  /** Whether {@code json} is a valid site; fails on any outcome but a site or a named refusal. */
  private static boolean check(String json) {
    Site site;
    try {
      site = Site.fromJson(json);
    } catch (InvalidSiteException e) {
      assertTrue(e.field() != null || e.getMessage().startsWith("site "), "no field named: " + e.getMessage());
      return false;
    }
    assertTrue(json.length() <= SiteLimits.MAX_JSON_CHARS);
    assertTrue(site.targets().size() <= SiteLimits.MAX_TARGETS);
    SitePolicies policies = site.policies();
    for (SitePolicies.HeaderRules rules : List.of(policies.requestHeaders(), policies.responseHeaders())) {
      assertTrue(rules.set().size() <= SiteLimits.MAX_HEADER_RULES && rules.remove().size() <= SiteLimits.MAX_HEADER_RULES);
    }
    for (List<Cidr> cidrs : List.of(policies.ipAllow(), policies.ipDeny(), policies.trustedProxies())) {
      assertTrue(cidrs.size() <= SiteLimits.MAX_ADDRESS_RANGES);
    }
    assertEquals(site, Site.fromJson(site.toJson().encode()), "round trip");
    return true;
  }

  private static JsonObject validSite(Random random) {
    JsonObject site = new JsonObject().put("targets", new JsonArray(pick(random,
        List.of("10.0.0.5:8080", "backend.local:80", "[::1]:81", "a:1", "Api-1.Internal:9000"))));
    maybe(random, site, "connectTimeoutMs", 1 + random.nextInt(60_000));
    maybe(random, site, "readTimeoutMs", 1 + random.nextInt(60_000));
    maybe(random, site, "tls", pick(random, List.of("auto", "manual", "off")).get(0));
    maybe(random, site, "redirectHttps", random.nextBoolean());
    maybe(random, site, "includeApex", random.nextBoolean());
    maybe(random, site, "owner", "alice");
    maybe(random, site, "compression", random.nextBoolean());
    maybe(random, site, "requestHeaders", headerRules(random));
    maybe(random, site, "responseHeaders", headerRules(random));
    maybe(random, site, "hsts", new JsonObject().put("maxAge", random.nextInt(100_000)).put("includeSubDomains", true));
    for (String field : List.of("ipAllow", "ipDeny", "trustedProxies")) {
      maybe(random, site, field, new JsonArray(pick(random, List.of("10.0.0.0/8", "2001:db8::/32", "192.168.1.1", "::1"))));
    }
    maybe(random, site, "basicAuth", new JsonObject().put("realm", "staff").put("users", new JsonObject().put("ann", HASH)));
    maybe(random, site, "rateLimit", new JsonObject().put("requests", 100).put("perSeconds", 60)
        .put("by", pick(random, List.of("ip", "header:X-Api-Key")).get(0)));
    maybe(random, site, "jwt", new JsonObject().put("pathPrefixes", new JsonArray().add("/api/"))
        .put("keys", new JsonArray().add(new JsonObject().put("alg", "HS256").put("secret", "s".repeat(32)))
            .add(new JsonObject().put("alg", "ES256").put("publicKey", PEM)))
        .put("jwksUrl", "https://idp.example/jwks.json").put("issuer", "idp").put("audience", "shop")
        .put("claimHeaders", new JsonObject().put("sub", "X-User-Id")));
    maybe(random, site, "loadBalancing", pick(random, List.of("round-robin", "least-pending")).get(0));
    maybe(random, site, "retries", random.nextInt(4));
    maybe(random, site, "routes", new JsonArray(pick(random, List.of(
        new JsonObject().put("prefix", "/api/").put("targets", new JsonArray().add("10.0.0.7:8080")).put("stripPrefix", true)
            .put("rateLimit", new JsonObject().put("requests", 60).put("perSeconds", 60)),
        new JsonObject().put("exact", "/healthz").put("respond", new JsonObject().put("status", 200).put("body", "ok")
            .put("headers", new JsonObject().put("Content-Type", "text/plain"))),
        new JsonObject().put("prefix", "/old/").put("redirect", new JsonObject().put("status", 301)
            .put("location", "https://new.example$path$query")),
        new JsonObject().put("regex", "^/v[0-9]+/").put("methods", new JsonArray().add("GET"))
            .put("header", new JsonObject().put("name", "X-Beta").put("value", "1")).put("addPrefix", "/v"),
        new JsonObject().put("prefix", "/public/").put("jwt", (Object) null).put("compression", (Object) null)))));
    return site;
  }

  private static JsonObject headerRules(Random random) {
    return new JsonObject().put("set", new JsonObject().put("X-Env", "prod")).put("remove", new JsonArray().add("Server"));
  }

  private static void maybe(Random random, JsonObject site, String field, Object value) {
    if (random.nextBoolean()) {
      site.put(field, value);
    }
  }

  private static <T> List<T> pick(Random random, List<T> from) {
    List<T> picked = new ArrayList<>();
    for (T value : from) {
      if (picked.isEmpty() || random.nextBoolean()) {
        picked.add(value);
      }
    }
    return picked;
  }

  /** One to three mutations of values in the model, then maybe one of the text. */
  private static String mutate(Random random, JsonObject site) {
    List<String> raws = new ArrayList<>();
    for (int i = 1 + random.nextInt(3); i > 0; i--) {
      replaceSomething(random, site, raws);
    }
    String json = site.encode();
    for (String raw : raws) {
      json = json.replaceFirst(java.util.regex.Pattern.quote('"' + RAW + '"'), java.util.regex.Matcher.quoteReplacement(raw));
    }
    return switch (random.nextInt(8)) {
      case 0 -> json.substring(0, random.nextInt(json.length() + 1));
      case 1 -> {
        int at = random.nextInt(json.length());
        yield json.substring(0, at) + "\"{}[],:0-e.\\\u0000\u2028".charAt(random.nextInt(13)) + json.substring(at);
      }
      default -> json;
    };
  }

  /** Replaces a random value (or adds a field) somewhere in the model. */
  private static void replaceSomething(Random random, Object node, List<String> raws) {
    Object value = randomValue(random, raws);
    if (node instanceof JsonObject object) {
      List<String> names = new ArrayList<>(object.fieldNames());
      if (names.isEmpty() || random.nextInt(4) == 0) {
        object.put(random.nextBoolean() ? "unknown" + random.nextInt(3) : pick(random, List.copyOf(Site.FIELDS)).get(0), value);
        return;
      }
      String name = names.get(random.nextInt(names.size()));
      Object child = object.getValue(name);
      if ((child instanceof JsonObject || child instanceof JsonArray) && random.nextInt(4) > 0) {
        replaceSomething(random, child, raws);
      } else {
        object.put(name, value);
      }
    } else if (node instanceof JsonArray array) {
      if (array.isEmpty() || random.nextInt(4) == 0) {
        array.add(value);
        return;
      }
      int at = random.nextInt(array.size());
      Object child = array.getValue(at);
      if ((child instanceof JsonObject || child instanceof JsonArray) && random.nextInt(4) > 0) {
        replaceSomething(random, child, raws);
      } else {
        array.set(at, value);
      }
    }
  }

  private static Object randomValue(Random random, List<String> raws) {
    return switch (random.nextInt(16)) {
      case 0 -> null;
      case 1 -> random.nextBoolean();
      case 2 -> random.nextLong();
      case 3 -> random.nextInt(5) - 2;
      case 4 -> random.nextDouble() * 1e6;
      case 5 -> pick(random, List.of("NaN", "Infinity", "-Infinity", "", " ", "null", "true", "0x10")).get(0);
      case 6 -> "x".repeat(random.nextInt(random.nextInt(8) == 0 ? 300_000 : 5000));
      case 7 -> "a\r\nb\u0000c\u2028d\uD800";
      case 8 -> new JsonArray(new ArrayList<>(java.util.Collections.nCopies(random.nextInt(random.nextInt(8) == 0 ? 200_000 : 100), "10.0.0.1:80")));
      case 9 -> new JsonObject().put("alg", 256).put("secret", new JsonArray()).put("publicKey", new JsonObject());
      case 10 -> new JsonArray().add(new JsonObject()).add(new JsonArray()).add(7);
      default -> {
        raws.add(oneOf(random, List.of("NaN", "-Infinity", "1e999", "-1e999", "1".repeat(400), "-" + "9".repeat(30),
            "1.0", "1e3", "-0", "[".repeat(3000) + "]".repeat(3000), "{\"a\":".repeat(2000) + "1" + "}".repeat(2000))));
        yield RAW;
      }
    };
  }

  private static <T> T oneOf(Random random, List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  private static String abbreviated(String json) {
    return json == null || json.length() <= 300 ? json : json.substring(0, 300) + "…(" + json.length() + " characters)";
  }
}
