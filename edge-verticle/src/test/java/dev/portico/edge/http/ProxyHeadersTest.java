package dev.portico.edge.http;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProxyHeadersTest {

  @Test
  void theAuthoritySentOnIsTheCanonicalHostWithThePortAsked() {
    assertEquals("good.test:8080", ProxyHeaders.canonicalAuthority("good.test", "GOOD.TEST.:8080"));
    assertEquals("good.test", ProxyHeaders.canonicalAuthority("good.test", "Good.Test."));
    assertEquals("[::1]:8443", ProxyHeaders.canonicalAuthority("[::1]", "[::1]:8443"));
    assertEquals("[::1]", ProxyHeaders.canonicalAuthority("[::1]", "[::1]"));
  }

  @Test
  void invalidFieldsOfABackendResponseAreDropped() {
    MultiMap backend = MultiMap.caseInsensitiveMultiMap();  // not validating, as in production
    backend.add("X-Good", "yes");
    backend.add("X-Bad", "a\rb");
    backend.add("X-Nul", "a\u0000");
    backend.add("Bad Name", "v");
    backend.add("Connection", "close");
    MultiMap client = MultiMap.caseInsensitiveMultiMap();
    ProxyHeaders.toClient(backend, client, false);
    assertEquals(List.of("X-Good"), client.names().stream().toList());
  }
}
