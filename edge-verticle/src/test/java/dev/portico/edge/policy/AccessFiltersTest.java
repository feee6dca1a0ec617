package dev.portico.edge.policy;

import dev.portico.contract.PasswordHash;
import dev.portico.contract.SitePolicies;
import dev.portico.edge.pipeline.Answer;
import dev.portico.edge.pipeline.FilterContext;
import dev.portico.edge.pipeline.SiteFilter;
import dev.portico.edge.pipeline.Step;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.redis.client.Redis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The filters whose decision needs I/O — basic auth, JWT, rate limit — with their real verifiers, no server. */
class AccessFiltersTest {

  private static final String SECRET = "an hs256 secret of at least 32 chars!";
  private static Vertx vertx;
  private static Redis unreachableRedis;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    unreachableRedis = Redis.createClient(vertx, "redis://127.0.0.1:" + closedPort);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The filter's decision: null when it passed, else its answer. */
  private static Answer decide(SiteFilter filter, FilterContext context) throws Exception {
    Step step = filter.onRequest(context);
    if (step == Step.PASS) {
      return null;
    }
    if (step.answer() != null) {
      return step.answer();
    }
    Step later = step.later().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return later == Step.PASS ? null : later.answer();
  }

  @Test
  void basicAuthWantsTheRightPassword() throws Exception {
    SitePolicies policies = Requests.policies(new JsonObject().put("basicAuth", new JsonObject().put("realm", "shop")
        .put("users", new JsonObject().put("alice", PasswordHash.hash("wonderland")))));
    BasicAuthFilter filter = new BasicAuthFilter(new BasicAuthVerifier(vertx), policies.basicAuth());
    Answer none = decide(filter, Requests.get("/").context());
    assertEquals(401, none.status());
    assertEquals("Basic realm=\"shop\", charset=\"UTF-8\"", none.headers().get("WWW-Authenticate"));
    assertEquals(401, decide(filter, Requests.get("/").header("Authorization", basic("alice:looking glass")).context())
        .status());
    assertNull(decide(filter, Requests.get("/").header("Authorization", basic("alice:wonderland")).context()));
  }

  private static String basic(String credentials) {
    return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aJwtIsRequiredOnItsPathsAndOnlyItsClaimsReachTheBackend() throws Exception {
    SitePolicies policies = Requests.policies(new JsonObject().put("jwt", new JsonObject()
        .put("pathPrefixes", new JsonArray().add("/api/"))
        .put("keys", new JsonArray().add(new JsonObject().put("alg", "HS256").put("secret", SECRET)))
        .put("claimHeaders", new JsonObject().put("sub", "X-User-Id"))));
    JwtFilter filter = new JwtFilter(new JwtGuard(vertx, null), policies.jwt());
    String token = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256")
        .setBuffer(SECRET))).generateToken(new JsonObject().put("sub", "alice"), new JWTOptions().setExpiresInSeconds(60));

    FilterContext open = Requests.get("/public").header("X-User-Id", "mallory").context();
    assertSame(Step.PASS, filter.onRequest(open), "a path outside the prefixes needs no token");
    assertFalse(backendHeaders(filter, open).contains("X-User-Id"), "a client's claim header never passes");

    Answer missing = decide(filter, Requests.get("/api/x").context());
    assertEquals(401, missing.status());
    assertTrue(missing.headers().get("WWW-Authenticate").startsWith("Bearer"));
    assertEquals(401, decide(filter, Requests.get("/api/x").header("Authorization", "Bearer " + token + "x").context())
        .status());

    FilterContext signed = Requests.get("/api/x").header("Authorization", "Bearer " + token)
        .header("X-User-Id", "mallory").context();
    assertNull(decide(filter, signed));
    assertEquals("alice", backendHeaders(filter, signed).get("X-User-Id"));
  }

  private static MultiMap backendHeaders(SiteFilter filter, FilterContext context) {
    MultiMap headers = HttpHeaders.headers().addAll(context.request().headers());
    filter.onBackendRequest(context, headers);
    return headers;
  }

  @Test
  void theRateLimitCountsPerClientInProcessWhenRedisIsAway() throws Exception {
    SitePolicies policies = Requests.policies(new JsonObject().put("rateLimit", new JsonObject().put("requests", 2)
        .put("perSeconds", 3600).put("by", "header:X-Api-Key")));
    RateLimitFilter filter = new RateLimitFilter(new RateLimiter(unreachableRedis, new SimpleMeterRegistry()),
        policies.rateLimit());
    for (int i = 0; i < 2; i++) {
      assertNull(decide(filter, Requests.get("/").header("X-Api-Key", "one").context()));
    }
    Answer third = decide(filter, Requests.get("/").header("X-Api-Key", "one").context());
    assertEquals(429, third.status());
    assertTrue(Long.parseLong(third.headers().get("Retry-After")) > 0);
    assertNull(decide(filter, Requests.get("/").header("X-Api-Key", "two").context()), "another key has its own count");
  }

  @Test
  void rateLimitKeysAreReadableOrHashedNeverRaw() {
    assertEquals("h:abc", RateLimitFilter.headerKey("abc"));
    assertEquals("h-none", RateLimitFilter.headerKey(null));
    assertTrue(RateLimitFilter.headerKey("a:b").startsWith("h#"));
    assertTrue(RateLimitFilter.headerKey("x".repeat(65)).startsWith("h#"));
    assertEquals("none", RateLimitFilter.addressKey(null));
    assertEquals("c0000201", RateLimitFilter.addressKey(new byte[] {(byte) 192, 0, 2, 1}));
  }
}
