package dev.portico.edge.policy;

import dev.portico.contract.SitePolicies;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Request and response header rules, and HSTS. */
class HeaderFiltersTest {

  private static final JsonObject RULES = new JsonObject().put("set", new JsonObject().put("X-Site", "app"))
      .put("remove", new JsonArray().add("X-Internal"));

  @Test
  void requestRulesEditWhatTheBackendReceives() {
    SitePolicies policies = Requests.policies(new JsonObject().put("requestHeaders", RULES));
    MultiMap backend = HttpHeaders.headers().add("X-Internal", "secret").add("X-Site", "client's").add("Accept", "*/*");
    new RequestHeadersFilter(policies.requestHeaders()).onBackendRequest(Requests.get("/").context(), backend);
    assertEquals("app", backend.get("X-Site"));
    assertFalse(backend.contains("X-Internal"));
    assertEquals("*/*", backend.get("Accept"));
  }

  @Test
  void responseRulesEditWhatTheClientReceives() {
    SitePolicies policies = Requests.policies(new JsonObject().put("responseHeaders", RULES));
    MultiMap client = HttpHeaders.headers().add("X-Internal", "trace").add("Content-Type", "text/plain");
    new ResponseHeadersFilter(policies.responseHeaders()).onResponse(Requests.get("/").responding(101, client));
    assertEquals("app", client.get("X-Site"));
    assertFalse(client.contains("X-Internal"));
    assertEquals("text/plain", client.get("Content-Type"));
  }

  @Test
  void hstsIsSentOverHttpsOnly() {
    SitePolicies policies = Requests.policies(new JsonObject()
        .put("hsts", new JsonObject().put("maxAge", 600).put("includeSubDomains", true)));
    HstsFilter filter = new HstsFilter(policies.hsts());
    assertFalse(filter.appliesTo(Requests.get("/").context()));
    MultiMap client = HttpHeaders.headers();
    var context = Requests.get("/").secure().responding(200, client);
    assertEquals(true, filter.appliesTo(context));
    filter.onResponse(context);
    assertEquals("max-age=600; includeSubDomains", client.get("Strict-Transport-Security"));
    assertNull(HttpHeaders.headers().get("Strict-Transport-Security"));
  }
}
