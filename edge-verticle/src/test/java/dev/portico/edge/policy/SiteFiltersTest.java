package dev.portico.edge.policy;

import dev.portico.edge.pipeline.FilterChain;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class SiteFiltersTest {

  private static final PolicyServices NO_SERVICES = new PolicyServices(null, null, null, null, null);

  @Test
  void aSiteWithoutPoliciesGetsTheEmptyChain() {
    assertSame(FilterChain.EMPTY, SiteFilters.compile(Requests.policies(new JsonObject().put("compression", false)),
        NO_SERVICES, SiteFilters.SITE_SCOPE));
  }

  @Test
  void eachPolicyIsOneFilter() {
    assertEquals(1, SiteFilters.compile(Requests.policies(new JsonObject()), NO_SERVICES, SiteFilters.SITE_SCOPE).size(),
        "compression is on by default");
    assertEquals(4, SiteFilters.compile(Requests.policies(new JsonObject()
        .put("ipDeny", new JsonArray().add("192.0.2.0/24")).put("hsts", new JsonObject().put("maxAge", 60))
        .put("responseHeaders", new JsonObject().put("set", new JsonObject().put("X-A", "1")))), NO_SERVICES, SiteFilters.SITE_SCOPE).size());
  }
}
