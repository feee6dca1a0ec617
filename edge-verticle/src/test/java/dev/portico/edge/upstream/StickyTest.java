package dev.portico.edge.upstream;

import dev.portico.contract.SitePolicies.LoadBalancing;
import dev.portico.contract.Target;
import dev.portico.contract.UpstreamOptions;
import dev.portico.edge.upstream.health.SiteHealth;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class StickyTest {

  private static final Target A = Target.parse("127.0.0.1:8081");
  private static final Target B = Target.parse("127.0.0.1:8082");
  private static final StickyKey KEY = StickyKey.of(new byte[32]);
  private static final UpstreamOptions STICKY = new UpstreamOptions(List.of(), null, null,
      UpstreamOptions.DEFAULT_BUDGET, new UpstreamOptions.Sticky("s"));

  private static UpstreamSet set(String pattern) {
    return UpstreamSet.of(List.of(A, B), LoadBalancing.ROUND_ROBIN, STICKY, 0, SiteHealth.NONE, KEY.idsFor(pattern));
  }

  @Test
  void anIdNamesItsTargetWithoutItsAddress() {
    UpstreamSet set = set("shop.example");
    Upstream first = set.choose(Set.of());
    Upstream second = set.choose(Set.of());
    assertNotEquals(first.stickyId(), second.stickyId());
    assertSame(second, set.stuck(second.stickyId()));
    for (String id : List.of(first.stickyId(), second.stickyId())) {
      assertFalse(id.contains("127") || id.contains("808"), id);
      assertEquals(22, id.length(), "128 bits in base64url");
    }
  }

  @Test
  void theSameIdOnEveryNodeWithTheSameKeyAndAnotherForAnotherSite() {
    String id = set("shop.example").choose(Set.of()).stickyId();
    assertEquals(A, set("shop.example").stuck(id).target());
    assertNull(set("blog.example").stuck(id), "another site's cookie names none of this one's targets");
  }

  @Test
  void aForgedOrStaleIdNamesNoTarget() {
    UpstreamSet set = set("shop.example");
    String id = set.choose(Set.of()).stickyId();
    assertNull(set.stuck(id.substring(1) + "A"));
    assertNull(set.stuck("127.0.0.1:8081"));
    assertNull(set.stuck(""));
    assertNull(set.stuck(null));
  }

  @Test
  void anUnavailableTargetIsNotStuckTo() {
    UpstreamSet set = set("shop.example");
    Upstream a = set.choose(Set.of());
    a.failed();
    assertNull(set.stuck(a.stickyId()));
  }

  @Test
  void theCookieIsReadAmongOthersAndWrittenForTheWholeSite() {
    assertEquals("abc", StickyCookie.read(List.of("x=1; s=abc; y=2"), "s"));
    assertNull(StickyCookie.read(List.of("ss=abc"), "s"));
    assertNull(StickyCookie.read(List.of("s=" + "a".repeat(65)), "s"));
    assertEquals("s=abc; Path=/; HttpOnly; SameSite=Lax; Secure", StickyCookie.set("s", "abc", true));
  }
}
