package dev.portico.edge.policy;

import dev.portico.contract.SsoPolicy;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the SSO filter does without a provider: the scheme it trusts, the backend's cookies it drops. */
class SsoFilterTest {

  private static final SsoPolicy POLICY = new SsoPolicy("corp", List.of(), List.of(), Map.of());
  private static final JsonObject BALANCER = new JsonObject().put("trustedProxies", new JsonArray().add("10.0.0.0/8"));

  @Test
  void aBackendPlantsNoneOfTheEdgesCookies() {
    MultiMap response = HttpHeaders.headers().add("Set-Cookie", "theme=dark; Path=/")
        .add("Set-Cookie", "portico_sso=planted; Path=/").add("Set-Cookie", "__Host-portico_sso=planted; Path=/; Secure")
        .add("Set-Cookie", "__Host-portico_sso_state=planted; Path=/; Secure").add("Set-Cookie", "portico_sso_state=x");
    new SsoFilter(null, POLICY, true).onResponse(Requests.get("/").secure().responding(200, response));
    assertEquals(List.of("theme=dark; Path=/"), response.getAll("Set-Cookie"));
  }

  @Test
  void onlyATrustedProxysForwardedProtoMakesARequestHttps() {
    var trusted = Requests.policies(BALANCER);
    assertTrue(Requests.get("/").from("10.1.2.3").site(trusted).header("X-Forwarded-Proto", "https").context().clientSecure());
    assertTrue(SsoFilter.asClientSaw(Requests.get("/").from("10.1.2.3").site(trusted)
        .header("X-Forwarded-Proto", "https").context()).secure());
    // the right-most value is the one the trusted proxy wrote
    assertFalse(Requests.get("/").from("10.1.2.3").site(trusted).header("X-Forwarded-Proto", "https, http").context()
        .clientSecure());
    assertFalse(Requests.get("/").from("10.1.2.3").site(trusted).context().clientSecure());
    assertFalse(Requests.get("/").from("192.0.2.7").site(trusted).header("X-Forwarded-Proto", "https").context()
        .clientSecure());
    assertFalse(Requests.get("/").header("X-Forwarded-Proto", "https").context().clientSecure());
    assertTrue(Requests.get("/").secure().header("X-Forwarded-Proto", "http").context().clientSecure());
  }
}
