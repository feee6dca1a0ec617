package dev.portico.launcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The edge answers ACME HTTP-01 challenges from Redis, for any Host, before site routing. */
class AcmeChallengeTest {

  private static final String TOKEN = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";
  private static Harness harness;
  private static final AtomicInteger backendHits = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    harness = new Harness();
    int backend = harness.backend(request -> {
      backendHits.incrementAndGet();
      request.response().end("backend");
    });
    harness.putSite("shop.example.com", backend);
    Harness.await(harness.redisApi.set(List.of("portico:acme-http01:" + TOKEN, TOKEN + ".thumbprint", "PX", "60000")));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void knownTokenIsAnsweredForAnyHostWithoutReachingTheSite() {
    backendHits.set(0);
    for (String host : List.of("shop.example.com", "unknown.example.org", "127.0.0.1")) {
      HttpResponse<String> response = harness.get(host, "/.well-known/acme-challenge/" + TOKEN);
      assertEquals(200, response.statusCode(), host);
      assertEquals(TOKEN + ".thumbprint", response.body());
      assertEquals("text/plain", response.headers().firstValue("content-type").orElse(""));
    }
    assertEquals(0, backendHits.get());
  }

  @Test
  void unknownOrMalformedTokensGet404() {
    backendHits.set(0);
    for (String token : List.of("unknownTokenXYZ", "a.b", "x".repeat(129), "", "a/b")) {
      assertEquals(404, harness.get("shop.example.com", "/.well-known/acme-challenge/" + token).statusCode(), token);
    }
    assertEquals(400, harness.get("shop.example.com", "/.well-known/acme-challenge/..%2F..%2Fetc").statusCode(),
        "an encoded / is refused in any path");
    assertEquals(0, backendHits.get());
    assertEquals(200, harness.get("shop.example.com", "/.well-known/other").statusCode(), "other paths are routed");
    assertEquals(1, backendHits.get());
  }
}
