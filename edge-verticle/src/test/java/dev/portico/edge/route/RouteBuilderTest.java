package dev.portico.edge.route;

import dev.portico.contract.RouteMatch;
import dev.portico.edge.pipeline.FilterChain;
import dev.portico.edge.policy.PolicyServices;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteBuilderTest {

  private static final String SITE = "{\"targets\":[\"127.0.0.1:1\",\"127.0.0.1:2\"],\"compression\":false}";
  private final RouteBuilder builder = new RouteBuilder(new PolicyServices(null, null, null, null, null),
      dev.portico.edge.upstream.UpstreamServices.NONE);

  @Test
  void theHostsOfOneSiteShareOneRouteAndItsUpstreamState() {
    Route first = builder.build(new RouteMatch("*.example.test", SITE));
    assertSame(first, builder.build(new RouteMatch("*.example.test", SITE)));
    assertSame(FilterChain.EMPTY, first.filters());
    assertEquals(2, first.site().targets().size());
    Route changed = builder.build(new RouteMatch("*.example.test", SITE.replace(":2", ":3")));
    assertNotSame(first.upstreams(), changed.upstreams(), "a changed site starts afresh");
  }

  @Test
  void aBrokenSiteIsARouteWithItsProblem() {
    Route broken = builder.build(new RouteMatch("broken.test", "{\"targets\":[]}"));
    assertTrue(broken.isKnown());
    assertNull(broken.site());
    assertFalse(broken.problem().isEmpty());
  }
}
