package dev.portico.cert.dns;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Each HTTP provider class against a stand-in that follows the provider's documented API. */
class HttpDnsProvidersTest {

  private static final String SECRET = "s3cr3t-credential-value";
  private static final String ZONE = "example.com";
  private static final String NAME = "_acme-challenge.example.com";

  private static Vertx vertx;
  private static WebClient http;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    http = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A fake of {@code type} and the provider class pointed at it, with the right or a wrong secret. */
  private record Pair(FakeDnsApi fake, DnsProvider provider) implements AutoCloseable {
    @Override
    public void close() {
      fake.close();
    }
  }

  private static Pair pair(String type, boolean rightCredentials) {
    String given = rightCredentials ? SECRET : "wrong-" + SECRET;
    return switch (type) {
      case "cloudflare" -> {
        FakeCloudflare fake = new FakeCloudflare(vertx, SECRET, Map.of(ZONE, "023e105f4ecef8ad9ca31a8372d0c353"), FakeDnsApi.NOWHERE);
        yield new Pair(fake, new CloudflareDns(http, fake.endpoint(), new JsonObject().put("apiToken", given)));
      }
      case "digitalocean" -> {
        FakeDigitalOcean fake = new FakeDigitalOcean(vertx, SECRET, Set.of(ZONE), FakeDnsApi.NOWHERE);
        yield new Pair(fake, new DigitalOceanDns(http, fake.endpoint() + "/", new JsonObject().put("apiToken", given)));
      }
      case "porkbun" -> {
        FakePorkbun fake = new FakePorkbun(vertx, "pk1_key", SECRET, Set.of(ZONE), FakeDnsApi.NOWHERE);
        yield new Pair(fake, new PorkbunDns(http, fake.endpoint(),
            new JsonObject().put("apiKey", "pk1_key").put("secretApiKey", given)));
      }
      case "duckdns" -> {
        FakeDuckDns fake = new FakeDuckDns(vertx, SECRET, Set.of("portico"), FakeDnsApi.NOWHERE);
        yield new Pair(fake, new DuckDnsDns(http, fake.endpoint(), new JsonObject().put("token", given)));
      }
      default -> throw new IllegalArgumentException(type);
    };
  }

  private static String zone(String type) {
    return type.equals("duckdns") ? "portico.duckdns.org" : ZONE;
  }

  private static String name(String type) {
    return "_acme-challenge." + zone(type);
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  private static DnsProviderException refusal(Future<?> future) throws Exception {
    try {
      await(future);
    } catch (DnsProviderException e) {
      return e;
    }
    return fail("expected a DnsProviderException");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cloudflare", "digitalocean", "porkbun", "duckdns"})
  void addsAndRemovesATxtValue(String type) throws Exception {
    try (Pair pair = pair(type, true)) {
      TxtRecord record = await(pair.provider().addTxt(zone(type), name(type), "value-1"));
      assertEquals(Map.of(name(type), List.of("value-1")), pair.fake().txt());
      FakeDnsApi.Received create = pair.fake().received().get(pair.fake().received().size() - 1);
      switch (type) {
        case "cloudflare" -> {
          assertEquals("/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/dns_records", create.uri());
          assertEquals(NAME, create.body().getString("name"));
        }
        case "digitalocean" -> {
          assertEquals("/v2/domains/example.com/records", create.uri());
          assertEquals("_acme-challenge", create.body().getString("name"), "relative to the domain");
          assertEquals(30, create.body().getInteger("ttl"));
        }
        case "porkbun" -> {
          assertEquals("/api/json/v3/dns/create/example.com", create.uri());
          assertEquals("_acme-challenge", create.body().getString("name"));
          assertEquals("600", create.body().getString("ttl"));
        }
        default -> assertTrue(create.uri().startsWith("/update?domains=portico&token="), create.uri());
      }
      await(pair.provider().removeTxt(record));
      assertEquals(Map.of(), pair.fake().txt());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cloudflare", "digitalocean", "porkbun"})
  void twoValuesAtOneNameCoexistWhereTheProviderHoldsSeveral(String type) throws Exception {
    try (Pair pair = pair(type, true)) {
      assertTrue(pair.provider().holdsSeveralValues());
      TxtRecord first = await(pair.provider().addTxt(zone(type), name(type), "wildcard"));
      await(pair.provider().addTxt(zone(type), name(type), "apex"));
      assertEquals(Set.of("wildcard", "apex"), Set.copyOf(pair.fake().txt().get(name(type))));
      await(pair.provider().removeTxt(first));
      assertEquals(Map.of(name(type), List.of("apex")), pair.fake().txt(), "exactly the one value is removed");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cloudflare", "digitalocean", "porkbun", "duckdns"})
  void wrongCredentialsAreRefusedWithTheProvidersWordsAndNoSecret(String type) throws Exception {
    try (Pair pair = pair(type, false)) {
      DnsProviderException refused = refusal(pair.provider().addTxt(zone(type), name(type), "v"));
      assertTrue(refused.getMessage().startsWith(type + ": "), refused.getMessage());
      String expected = switch (type) {
        case "cloudflare" -> "HTTP 403: Authentication error (code 10000)";
        case "digitalocean" -> "HTTP 401: Unable to authenticate you";
        case "porkbun" -> "HTTP 403: Invalid API key. (002)";
        default -> "KO";
      };
      assertTrue(refused.getMessage().contains(expected), refused.getMessage());
      assertFalse(refused.getMessage().contains(SECRET), refused.getMessage());
      assertEquals(Map.of(), pair.fake().txt());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cloudflare", "digitalocean", "porkbun", "duckdns"})
  void serverErrorsAreRefusals(String type) throws Exception {
    try (Pair pair = pair(type, true)) {
      pair.fake().failing(true);
      DnsProviderException refused = refusal(pair.provider().addTxt(zone(type), name(type), "v"));
      assertTrue(refused.getMessage().matches(type + ": .* refused with HTTP 5\\d\\d: .*"), refused.getMessage());
      assertFalse(refused.getMessage().contains(SECRET), refused.getMessage());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cloudflare", "digitalocean", "porkbun", "duckdns"})
  void removingARecordThatIsGoneSucceeds(String type) throws Exception {
    try (Pair pair = pair(type, true)) {
      TxtRecord record = await(pair.provider().addTxt(zone(type), name(type), "v"));
      await(pair.provider().removeTxt(record));
      await(pair.provider().removeTxt(record));
      assertEquals(Map.of(), pair.fake().txt());
    }
  }

  @org.junit.jupiter.api.Test
  void anUnreachableApiIsARefusalToo() throws Exception {
    DnsProvider provider = new CloudflareDns(http, "http://127.0.0.1:9/client/v4", new JsonObject().put("apiToken", SECRET));
    DnsProviderException refused = refusal(provider.addTxt(ZONE, NAME, "v"));
    assertTrue(refused.getMessage().startsWith("cloudflare: finding zone example.com failed"), refused.getMessage());
  }

  @org.junit.jupiter.api.Test
  void porkbunStillHoldingARecordItRefusedToDeleteIsAFailure() throws Exception {
    try (Pair pair = pair("porkbun", true)) {
      TxtRecord record = await(pair.provider().addTxt(ZONE, NAME, "v"));
      pair.fake().failingRequest(pair.fake().received().size() + 1);
      DnsProviderException refused = refusal(pair.provider().removeTxt(record));
      assertTrue(refused.getMessage().startsWith("porkbun: deleting " + NAME + " refused with HTTP 503"),
          refused.getMessage());
      assertEquals(Map.of(NAME, List.of("v")), pair.fake().txt(), "the record is still there, and said so");
    }
  }

  /** An API on 127.0.0.1 that answers every request with {@code status} and {@code body}, or never. */
  private static HttpServer answering(int status, String body) throws Exception {
    return await(vertx.createHttpServer().requestHandler(request -> {
      if (status > 0) {
        request.response().setStatusCode(status).putHeader("content-type", "application/json").end(body);
      }
    }).listen(0, "127.0.0.1"));
  }

  @org.junit.jupiter.api.Test
  void anApiThatNeverAnswersTimesOutWithoutShowingTheToken() throws Exception {
    HttpServer silent = answering(0, null);
    try {
      long started = System.nanoTime();
      DnsProviderException refused = refusal(new DuckDnsDns(http, "http://127.0.0.1:" + silent.actualPort(),
          new JsonObject().put("token", SECRET)).addTxt("portico.duckdns.org", "_acme-challenge.portico.duckdns.org", "v"));
      assertEquals("duckdns: setting the TXT value of portico.duckdns.org failed: no answer within 15 s",
          refused.getMessage());
      assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(20));
    } finally {
      await(silent.close());
    }
  }

  @org.junit.jupiter.api.Test
  void aCredentialAServerEchoesIsNotRepeated() throws Exception {
    HttpServer echoing = answering(401, "{\"id\":\"unauthorized\",\"message\":\"token " + SECRET + " is not valid\"}");
    try {
      DnsProviderException refused = refusal(new DigitalOceanDns(http, "http://127.0.0.1:" + echoing.actualPort(),
          new JsonObject().put("apiToken", SECRET)).addTxt(ZONE, NAME, "v"));
      assertEquals("digitalocean: creating " + NAME + " refused with HTTP 401: token *** is not valid (unauthorized)",
          refused.getMessage());
    } finally {
      await(echoing.close());
    }
    String token = "tok+en/with=signs";
    HttpServer echoingUrl = answering(400, "bad request /update?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    try {
      DnsProviderException refused = refusal(new DigitalOceanDns(http, "http://127.0.0.1:" + echoingUrl.actualPort(),
          new JsonObject().put("apiToken", token)).addTxt(ZONE, NAME, "v"));
      assertEquals("digitalocean: creating " + NAME + " refused with HTTP 400: bad request /update?token=***",
          refused.getMessage(), "the URL-encoded form is hidden too");
    } finally {
      await(echoingUrl.close());
    }
  }

  @org.junit.jupiter.api.Test
  void cloudflareSayingNoSuccessInA200IsARefusal() throws Exception {
    HttpServer unsuccessful = answering(200, new JsonObject().put("success", false).put("errors", new io.vertx.core
        .json.JsonArray().add(new JsonObject().put("code", 1003).put("message", "Invalid or missing zone id.")))
        .put("messages", new io.vertx.core.json.JsonArray()).put("result", (Object) null).encode());
    try {
      DnsProviderException refused = refusal(new CloudflareDns(http, "http://127.0.0.1:" + unsuccessful.actualPort(),
          new JsonObject().put("apiToken", SECRET)).addTxt(ZONE, NAME, "v"));
      assertEquals("cloudflare: finding zone example.com refused: Invalid or missing zone id. (code 1003)",
          refused.getMessage());
    } finally {
      await(unsuccessful.close());
    }
  }
}
