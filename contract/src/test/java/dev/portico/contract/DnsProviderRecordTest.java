package dev.portico.contract;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class DnsProviderRecordTest {

  private static DnsProviderRecord provider(String id, String... domains) {
    return DnsProviderRecord.fromJson(new JsonObject().put("id", id).put("type", "cloudflare")
        .put("domains", List.of(domains)).put("credentials", "plain:{}"));
  }

  @Test
  void theLongestCoveringZoneDecides() {
    DnsProviderRecord parent = provider("parent", "example.com", "example.org");
    DnsProviderRecord child = provider("child", "dev.example.com");
    List<DnsProviderRecord> all = List.of(parent, child);
    assertEquals("child", DnsProviderRecord.covering(all, "_acme-challenge.dev.example.com").id());
    assertEquals("dev.example.com", child.zoneOf("a.dev.example.com"));
    assertEquals("parent", DnsProviderRecord.covering(all, "example.com").id());
    assertEquals("parent", DnsProviderRecord.covering(all, "_acme-challenge.www.example.org").id());
    // a label boundary, not a string suffix
    assertNull(DnsProviderRecord.covering(all, "badexample.com"));
    assertNull(DnsProviderRecord.covering(all, "example.net"));
  }

  @Test
  void endpointsAreHttpsOrLoopbackHttp() {
    assertNull(DnsProviderRecord.endpointProblem("https://api.cloudflare.com/client/v4"));
    assertNull(DnsProviderRecord.endpointProblem("http://127.0.0.1:8080/v2"));
    assertNull(DnsProviderRecord.endpointProblem("http://localhost:8080"));
    assertNotNull(DnsProviderRecord.endpointProblem("http://api.example.com/v2"));
    assertNotNull(DnsProviderRecord.endpointProblem("ftp://127.0.0.1/"));
    assertNotNull(DnsProviderRecord.endpointProblem("https://user:pw@api.example.com/"));
    assertNotNull(DnsProviderRecord.endpointProblem("https://api.example.com/?token=x"));
    assertNotNull(DnsProviderRecord.endpointProblem("not a url"));
  }
}
