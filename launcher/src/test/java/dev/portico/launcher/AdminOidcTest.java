package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signing in to the admin API through a real OIDC provider, Keycloak, started once for the class:
 * the authorization-code flow the way a browser walks it (a cookie jar, Keycloak's own login form),
 * ending in the admin's token; the IdP's groups carry the grants of the local groups of the same
 * name. And what must fail: a replayed or forged callback, a code issued to another client, the
 * IdP down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminOidcTest {

  private static final String ADMIN_PASSWORD = "correct horse battery staple";

  private KeycloakServer keycloak;
  private Harness harness;
  private AdminClient api;
  private String admin;
  private int adminPort;

  @BeforeAll
  void start() throws Exception {
    keycloak = KeycloakServer.start();
    adminPort = Harness.freePort();
    Map<String, String> env = new HashMap<>(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", ADMIN_PASSWORD,
        "PORTICO_ADMIN_PORT", Integer.toString(adminPort),
        "PORTICO_ADMIN_OIDC_ISSUER", keycloak.issuer(),
        "PORTICO_ADMIN_OIDC_CLIENT_ID", "portico-admin",
        "PORTICO_ADMIN_OIDC_CLIENT_SECRET", "portico-admin-client-secret",
        "PORTICO_ADMIN_OIDC_REDIRECT_URI", "http://127.0.0.1:" + adminPort + "/api/v1/auth/oidc/callback"));
    harness = new Harness(env);
    api = new AdminClient(adminPort);
    admin = api.login("admin", ADMIN_PASSWORD);
    assertEquals(201, api.post("/api/v1/groups", admin, new JsonObject().put("name", "web-team")).status());
    assertEquals(201, api.put("/api/v1/groups/web-team/grants/team.test", admin,
        new JsonObject().put("role", "manager")).status());
  }

  @AfterAll
  void stop() {
    if (harness != null) {
      harness.close();
    }
    if (keycloak != null) {
      keycloak.close();
    }
  }

  @Test
  void aSignInThroughTheProviderGetsTheGrantsOfItsGroups() throws Exception {
    OidcBrowser alice = new OidcBrowser();
    HttpResponse<String> answer = alice.get(alice.signInAt(adminLogin(), "kc-alice", "alice-secret-1"));
    assertEquals(200, answer.statusCode(), answer.body());
    JsonObject signedIn = new JsonObject(answer.body());
    String token = signedIn.getString("token");
    assertEquals(new JsonArray().add("web-team"), signedIn.getJsonObject("user").getJsonArray("groups"));

    JsonObject me = api.get("/api/v1/auth/me", token).json();
    assertTrue(me.getString("username").endsWith("@oidc"), me.encode());
    assertEquals("manager", me.getJsonObject("permissions").getJsonObject("domains").getString("team.test"));
    assertEquals(201, api.put("/api/v1/sites/app.team.test", token, site()).status(), "web-team manages team.test");
    assertEquals(403, api.put("/api/v1/sites/app.other.test", token, site()).status());
    assertEquals(403, api.get("/api/v1/users", token).status(), "no global admin");
    assertEquals(403, api.post("/api/v1/tokens", token, new JsonObject().put("name", "x").put("scope", "read"))
        .status(), "an OIDC sign-in has no local user to hand API tokens on");

    // the group's grants are read at each request: revoking them applies at once
    assertEquals(204, api.delete("/api/v1/groups/web-team/grants/team.test", admin).status());
    assertEquals(403, api.put("/api/v1/sites/app2.team.test", token, site()).status());
    assertEquals(201, api.put("/api/v1/groups/web-team/grants/team.test", admin,
        new JsonObject().put("role", "manager")).status());

    assertEquals(204, api.post("/api/v1/auth/logout", token, null).status());
    assertEquals(401, api.get("/api/v1/auth/me", token).status(), "signed out");

    // the replayed callback: its state was taken by the first
    HttpResponse<String> replay = alice.get(alice.lastCallback);
    assertEquals(400, replay.statusCode(), replay.body());
  }

  @Test
  void anIdentityWithoutGroupsGetsNothing() throws Exception {
    OidcBrowser bob = new OidcBrowser();
    HttpResponse<String> answer = bob.get(bob.signInAt(adminLogin(), "kc-bob", "bob-secret-1"));
    assertEquals(200, answer.statusCode(), answer.body());
    String token = new JsonObject(answer.body()).getString("token");
    assertEquals(403, api.put("/api/v1/sites/bob.team.test", token, site()).status());
    assertEquals(new JsonArray(), api.get("/api/v1/sites", token).json().getJsonArray("items"));
  }

  @Test
  void forgedCallbacksAndCodesOfOtherClientsAreRefused() throws Exception {
    OidcBrowser mallory = new OidcBrowser();
    String callback = "http://127.0.0.1:" + adminPort + "/api/v1/auth/oidc/callback";
    assertEquals(400, mallory.get(callback + "?code=made-up&state=made-up").statusCode(), "a state never issued");
    assertEquals(400, mallory.get(callback).statusCode());

    // a real state with a made-up code: Keycloak refuses the code, the state is spent
    String authorize = mallory.get(adminLogin()).headers().firstValue("Location").orElseThrow();
    String state = OidcBrowser.query(authorize, "state");
    HttpResponse<String> forged = mallory.get(callback + "?code=forged&state=" + state);
    assertEquals(401, forged.statusCode(), forged.body());
    assertEquals(400, mallory.get(callback + "?code=forged&state=" + state).statusCode(), "a state works once");

    // a code Keycloak issued to another client cannot be traded by the admin
    String otherClient = mallory.get(adminLogin()).headers().firstValue("Location").orElseThrow()
        .replace("client_id=portico-admin", "client_id=other-app");
    HttpResponse<String> answer = mallory.get(mallory.signInAt(otherClient, "kc-alice", "alice-secret-1"));
    assertEquals(401, answer.statusCode(), answer.body());
  }

  @Test
  void anUnreachableProviderIsABadGateway() throws Exception {
    int closed = Harness.freePort();
    Map<String, String> env = Harness.listenersOnFreePorts();
    env.put("PORTICO_REDIS_URL", "redis://127.0.0.1:" + harness.redisPort);
    env.put("PORTICO_SECRET_KEY", Harness.SECRET_KEY);
    env.put("PORTICO_ROLES", "admin");
    env.put("PORTICO_ADMIN_OIDC_ISSUER", "http://127.0.0.1:" + closed + "/realms/gone");
    env.put("PORTICO_ADMIN_OIDC_CLIENT_ID", "portico-admin");
    env.put("PORTICO_ADMIN_OIDC_CLIENT_SECRET", "portico-admin-client-secret");
    env.put("PORTICO_ADMIN_OIDC_REDIRECT_URI", "http://127.0.0.1:1/api/v1/auth/oidc/callback");
    try (Portico node = Portico.start(PorticoConfig.fromEnvironment(env))) {
      AdminClient.Answer answer = new AdminClient(node.config().adminPort()).get("/api/v1/auth/oidc/login", null);
      assertEquals(502, answer.status(), answer.body());
      assertTrue(answer.json().getString("detail").contains("127.0.0.1:" + closed), answer.body());
    }
  }

  private String adminLogin() {
    return "http://127.0.0.1:" + adminPort + "/api/v1/auth/oidc/login";
  }

  private static JsonObject site() {
    return new JsonObject().put("targets", new JsonArray().add("10.255.0.1:8080"));
  }

}
