package dev.portico.edge.policy;

import dev.portico.contract.SitePolicies;
import dev.portico.edge.pipeline.Step;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class IpRulesFilterTest {

  private static final SitePolicies POLICIES = Requests.policies(new JsonObject()
      .put("ipAllow", new JsonArray().add("192.0.2.0/24").add("2001:db8::/32"))
      .put("ipDeny", new JsonArray().add("192.0.2.66/32"))
      .put("trustedProxies", new JsonArray().add("10.0.0.0/8")));
  private static final IpRulesFilter FILTER = new IpRulesFilter(POLICIES.ipAllow(), POLICIES.ipDeny());

  private static Step check(Requests request) {
    return FILTER.onRequest(request.site(POLICIES).context());
  }

  @Test
  void anAllowedAddressPassesWithoutAllocatingADecision() {
    assertSame(Step.PASS, check(Requests.get("/").from("192.0.2.10")));
    assertSame(Step.PASS, check(Requests.get("/").from("2001:db8::1")));
    assertSame(Step.PASS, check(Requests.get("/").from("::ffff:192.0.2.10")));
  }

  @Test
  void anAddressOutsideTheAllowedOrInTheDeniedRangesGets403() {
    assertEquals(403, check(Requests.get("/").from("198.51.100.1")).answer().status());
    assertEquals(403, check(Requests.get("/").from("192.0.2.66")).answer().status());
    assertEquals(403, check(Requests.get("/").from(null)).answer().status(), "an unknown client is refused");
  }

  @Test
  void behindATrustedProxyTheForwardedClientCounts() {
    assertSame(Step.PASS, check(Requests.get("/").from("10.1.1.1").header("X-Forwarded-For", "192.0.2.10")));
    assertEquals(403, check(Requests.get("/").from("10.1.1.1").header("X-Forwarded-For", "192.0.2.10, 198.51.100.1"))
        .answer().status(), "the right-most untrusted hop is the client");
    assertEquals(403, check(Requests.get("/").from("198.51.100.1").header("X-Forwarded-For", "192.0.2.10"))
        .answer().status(), "an untrusted peer's X-Forwarded-For is not believed");
    assertEquals(403, check(Requests.get("/").from("10.1.1.1").header("X-Forwarded-For", "not an address"))
        .answer().status());
  }
}
