package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Single sign-on in front of sites, end to end: a real Keycloak (one for the class), a node with
 * the edge and the admin API, a second edge node on the same Redis, and a browser with a cookie
 * jar walking the authorization-code flow through Keycloak's own login form. What must fail fails
 * with a page, and the backend never sees it: forged and replayed callbacks, an ID token for
 * another audience, a return path to another host, a provider that is down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SsoEdgeTest {

  private static final String ADMIN_PASSWORD = "sso edge test password";
  private static final String HTML = "text/html,application/xhtml+xml";

  private KeycloakServer keycloak;
  private Harness harness;
  private Portico second;
  private AdminClient api;
  private String admin;
  private int closedPort;

  @BeforeAll
  void start() throws Exception {
    keycloak = KeycloakServer.start();
    harness = new Harness(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", ADMIN_PASSWORD));
    api = new AdminClient(harness.portico.config().adminPort());
    admin = api.login("admin", ADMIN_PASSWORD);
    closedPort = Harness.freePort();
    provider("kc", keycloak.issuer(), "portico-edge", "portico-edge-client-secret");
    provider("foreign", keycloak.issuer(), "portico-edge-foreign-aud", "foreign-aud-client-secret");
    provider("short", keycloak.issuer(), "portico-edge-short-tokens", "short-tokens-client-secret");
    provider("gone", "http://127.0.0.1:" + closedPort + "/realms/gone", "portico-edge", "any-secret");
    String backend = "127.0.0.1:" + harness.namedBackend("backend");
    site("app.sso.test", backend, new JsonObject().put("provider", "kc").put("claimHeaders",
        new JsonObject().put("email", "X-User-Email").put("groups", "X-User-Groups")));
    site("team.sso.test", backend, new JsonObject().put("provider", "kc").put("allowGroups", new JsonArray().add("Web-Team")));
    assertEquals(200, api.put("/api/v1/sites/team.sso.test", admin, siteJson(backend,
        new JsonObject().put("provider", "kc").put("allowGroups", new JsonArray().add("Web-Team")))
        .put("routes", new JsonArray().add(new JsonObject().put("prefix", "/admin/").put("sso", new JsonObject()
            .put("provider", "kc").put("allowUsers", new JsonArray().add("BOB@example.test")))))).status());
    site("foreign.sso.test", backend, new JsonObject().put("provider", "foreign"));
    site("down.sso.test", backend, new JsonObject().put("provider", "gone"));
    site("renew.sso.test", backend, new JsonObject().put("provider", "short"));
    assertEquals(201, api.put("/api/v1/sites/lb.sso.test", admin, siteJson(backend, new JsonObject().put("provider", "kc"))
        .put("trustedProxies", new JsonArray().add("127.0.0.1"))).status());
    Map<String, String> env = Harness.listenersOnFreePorts();
    env.put("PORTICO_REDIS_URL", "redis://127.0.0.1:" + harness.redisPort);
    env.put("PORTICO_SECRET_KEY", Harness.SECRET_KEY);
    env.put("PORTICO_ROLES", "edge,lookup");
    env.put("PORTICO_EDGE_INSTANCES", "1");
    second = Portico.start(PorticoConfig.fromEnvironment(env));
    Harness.waitFor(() -> harness.get("team.sso.test", "/admin/").statusCode() == 401, 10_000);
  }

  @AfterAll
  void stop() {
    if (second != null) {
      second.close();
    }
    if (harness != null) {
      harness.close();
    }
    if (keycloak != null) {
      keycloak.close();
    }
  }

  @Test
  void aSignedInVisitorReachesTheBackendAsItselfOnEveryEdgeUntilSignOut() throws Exception {
    OidcBrowser alice = new OidcBrowser();
    String page = url("app.sso.test", "/private/page?x=1");
    HttpResponse<String> first = alice.get(page, "Accept", HTML);
    assertEquals(302, first.statusCode(), first.body());
    String authorize = first.headers().firstValue("Location").orElseThrow();
    assertTrue(authorize.startsWith(keycloak.issuer() + "/protocol/openid-connect/auth?"), authorize);
    assertTrue(authorize.contains("code_challenge_method=S256") && authorize.contains("&nonce="), authorize);
    assertTrue(authorize.contains("redirect_uri=" + URLEncoder.encode(url("app.sso.test", "/.portico/auth/callback"),
        StandardCharsets.UTF_8)), authorize);

    String callback = alice.signInAt(authorize, "kc-alice", "alice-secret-1");
    assertTrue(callback.startsWith(url("app.sso.test", "/.portico/auth/callback?")), callback);
    HttpResponse<String> back = alice.get(callback);
    assertEquals(302, back.statusCode(), back.body());
    assertEquals(page, back.headers().firstValue("Location").orElseThrow(), "back to the page first asked for");
    String cookie = back.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("portico_sso=")).findFirst()
        .orElseThrow();
    assertTrue(cookie.matches("portico_sso=[A-Za-z0-9_-]{43}; Path=/; Max-Age=28800; HttpOnly; SameSite=Lax"), cookie);
    String sessionId = cookie.substring("portico_sso=".length(), cookie.indexOf(';'));

    // the backend gets the identity, never the client's copies of those headers, nor the edge's cookie
    alice.addCookie(page, "theme", "dark");
    HttpResponse<String> seen = alice.get(page, "Accept", HTML, "X-Portico-User", "mallory",
        "X-User-Email", "mallory@evil.test", "X-Portico-Groups", "admins");
    assertEquals(200, seen.statusCode(), seen.body());
    assertTrue(seen.body().startsWith("backend\nGET /private/page?x=1\n"), seen.body());
    assertTrue(seen.body().contains("x-portico-user: kc-alice\n"), seen.body());
    assertTrue(seen.body().contains("x-user-email: alice@example.test\n"), seen.body());
    assertTrue(seen.body().contains("x-portico-email: alice@example.test\n"), seen.body());
    assertTrue(seen.body().contains("x-user-groups: web-team\n") && seen.body().contains("x-portico-groups: web-team\n"),
        seen.body());
    assertFalse(seen.body().contains("mallory") || seen.body().contains("admins"), seen.body());
    assertTrue(seen.body().contains("cookie: theme=dark\n"), seen.body());
    assertFalse(seen.body().contains("portico_sso"), seen.body());
    assertEquals(null, Harness.await(harness.redisApi.get("portico:sso-session:" + sessionId)),
        "Redis holds the session under the id's hash, not the id");

    // another edge node of the cluster honours the session
    String onSecond = "http://app.sso.test:" + second.config().httpPort() + "/elsewhere";
    HttpResponse<String> there = alice.get(onSecond, "Accept", HTML);
    assertEquals(200, there.statusCode(), there.body());
    assertTrue(there.body().contains("x-portico-user: kc-alice\n"), there.body());

    // an API client without a session: 401 with WWW-Authenticate, no redirect
    HttpResponse<String> anonymous = harness.get("app.sso.test", "/private/page");
    assertEquals(401, anonymous.statusCode(), anonymous.body());
    assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Portico-SSO realm="));

    // sign-out ends the session on every edge, and at Keycloak through its end-session endpoint
    String logout = url("app.sso.test", "/.portico/auth/logout");
    HttpResponse<String> asked = alice.get(logout, "Accept", HTML);
    assertEquals(200, asked.statusCode(), "a GET only shows the sign-out button: " + asked.body());
    assertTrue(asked.body().contains("<form method=\"post\" action=\"/.portico/auth/logout\">"), asked.body());
    HttpResponse<String> crossSite = alice.post(logout, "Origin", "http://evil.sso.test", "Sec-Fetch-Site", "same-site");
    assertEquals(403, crossSite.statusCode(), "another site's form cannot sign out: " + crossSite.body());
    assertEquals(200, alice.get(page, "Accept", HTML).statusCode(), "still signed in");
    HttpResponse<String> out = alice.post(logout, "Origin", url("app.sso.test", ""), "Sec-Fetch-Site", "same-origin");
    assertEquals(303, out.statusCode(), out.body());
    String endSession = out.headers().firstValue("Location").orElseThrow();
    assertTrue(endSession.startsWith(keycloak.issuer() + "/protocol/openid-connect/logout?")
        && endSession.contains("id_token_hint="), endSession);
    assertTrue(out.headers().allValues("Set-Cookie").contains("portico_sso=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"));
    alice.follow(endSession);
    HttpResponse<String> replayed = harness.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
            "http://127.0.0.1:" + second.config().httpPort() + "/"))
        .header("Host", "app.sso.test").header("Cookie", "portico_sso=" + sessionId).build());
    assertEquals(401, replayed.statusCode(), "the ended session's cookie is worth nothing: " + replayed.body());
    alice.signInAt(page, "kc-alice", "alice-secret-1", "Accept", HTML);  // Keycloak asks for the password again
  }

  @Test
  void theAllowListsTakeUsersAndGroupsWhateverTheirCase() throws Exception {
    OidcBrowser alice = signedIn("team.sso.test", "kc-alice", "alice-secret-1");
    HttpResponse<String> root = alice.get(url("team.sso.test", "/"), "Accept", HTML);
    assertEquals(200, root.statusCode(), "web-team may pass: " + root.body());
    HttpResponse<String> adminPage = alice.get(url("team.sso.test", "/admin/x"), "Accept", HTML);
    assertEquals(403, adminPage.statusCode(), adminPage.body());
    assertTrue(adminPage.body().contains("kc-alice") && !adminPage.body().startsWith("backend"), adminPage.body());

    // an account the page's allow-lists refuse gets no session at all
    OidcBrowser refused = new OidcBrowser();
    HttpResponse<String> noSession = refused.get(refused.signInAt(url("team.sso.test", "/"), "kc-bob", "bob-secret-1",
        "Accept", HTML));
    assertEquals(403, noSession.statusCode(), noSession.body());
    assertTrue(noSession.body().contains("kc-bob (bob@example.test)"), noSession.body());
    assertTrue(noSession.headers().allValues("Set-Cookie").stream().noneMatch(c -> c.startsWith("portico_sso=")),
        noSession.headers().allValues("Set-Cookie").toString());
    assertEquals(302, refused.get(url("team.sso.test", "/"), "Accept", HTML).statusCode(), "still no session");

    OidcBrowser bob = new OidcBrowser();
    assertEquals(302, bob.get(bob.signInAt(url("team.sso.test", "/admin/x"), "kc-bob", "bob-secret-1", "Accept", HTML))
        .statusCode(), "the route allows bob: a session");
    HttpResponse<String> denied = bob.get(url("team.sso.test", "/"), "Accept", HTML);
    assertEquals(403, denied.statusCode(), denied.body());
    assertTrue(denied.body().contains("kc-bob (bob@example.test)"), denied.body());
    assertTrue(denied.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
    HttpResponse<String> allowed = bob.get(url("team.sso.test", "/admin/x"), "Accept", HTML);
    assertEquals(200, allowed.statusCode(), "bob by his e-mail on the route: " + allowed.body());
    assertTrue(allowed.body().contains("x-portico-user: kc-bob\n"), allowed.body());
  }

  @Test
  void aSessionIsRenewedWithTheRefreshTokenOnceItsIdTokenHasExpired() throws Exception {
    OidcBrowser alice = signedIn("renew.sso.test", "kc-alice", "alice-secret-1");
    String key = sessionKeyOf("renew.sso.test");
    JsonObject before = new JsonObject(Harness.await(harness.redisApi.get(key)).toString());
    assertTrue(before.getString("refreshToken").startsWith("aesgcm1:"), "the refresh token is sealed");
    Harness.waitFor(() -> System.currentTimeMillis() > before.getLong("refreshAt"), 30_000);  // the 5 s ID token expires
    HttpResponse<String> page = alice.get(url("renew.sso.test", "/"), "Accept", HTML);
    assertEquals(200, page.statusCode(), "the request that notices is not held up: " + page.body());
    Harness.waitFor(() -> new JsonObject(Harness.await(harness.redisApi.get(key)).toString()).getLong("refreshAt")
        > before.getLong("refreshAt"), 30_000);
    JsonObject after = new JsonObject(Harness.await(harness.redisApi.get(key)).toString());
    assertTrue(after.getLong("refreshAt") > before.getLong("refreshAt"), after.encode());
    assertFalse(after.getString("idToken").equals(before.getString("idToken")), "a new ID token");
    assertEquals(200, alice.get(url("renew.sso.test", "/"), "Accept", HTML).statusCode());
  }

  @Test
  void forgedAndReplayedCallbacksAreRefused() throws Exception {
    String callback = url("app.sso.test", "/.portico/auth/callback");
    OidcBrowser mallory = new OidcBrowser();
    assertRefused(mallory.get(callback + "?code=made-up&state=" + "A".repeat(43)), "a state never issued");
    assertRefused(mallory.get(callback), "no state");
    assertRefused(mallory.get(callback + "?code=x&state=" + "A".repeat(4000)), "an oversized state");

    // a real state with a made-up code: Keycloak refuses the code, and the state is spent
    String authorize = mallory.get(url("app.sso.test", "/"), "Accept", HTML).headers().firstValue("Location").orElseThrow();
    String state = OidcBrowser.query(authorize, "state");
    assertRefused(mallory.get(callback + "?code=forged&state=" + state), "a forged code");
    assertRefused(mallory.get(callback + "?code=forged&state=" + state), "a spent state");

    // a genuine callback taken to another browser (login CSRF): that browser did not start the sign-in
    OidcBrowser alice = new OidcBrowser();
    String genuine = alice.signInAt(url("app.sso.test", "/"), "kc-alice", "alice-secret-1", "Accept", HTML);
    assertRefused(new OidcBrowser().get(genuine), "another browser's callback");
    assertEquals(302, alice.get(genuine).statusCode(), "the browser that started it signs in");
    assertRefused(alice.get(genuine), "the same callback again");
  }

  @Test
  void anIdTokenForAnotherAudienceIsRefused() throws Exception {
    OidcBrowser alice = new OidcBrowser();
    String callback = alice.signInAt(url("foreign.sso.test", "/"), "kc-alice", "alice-secret-1", "Accept", HTML);
    HttpResponse<String> answer = alice.get(callback);
    assertRefused(answer, "aud is another-app");
    assertTrue(answer.body().contains("did not verify"), answer.body());
    assertTrue(answer.headers().allValues("Set-Cookie").stream().noneMatch(c -> c.startsWith("portico_sso=")));
  }

  @Test
  void theReturnAfterSignInNeverLeavesTheSite() throws Exception {
    for (String target : List.of("//evil.test/x", "https://evil.test/", "/\\evil.test/", "/\r\nSet-Cookie: x=y")) {
      OidcBrowser visitor = new OidcBrowser();
      String start = url("app.sso.test", "/.portico/auth/login?return=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
      HttpResponse<String> back = visitor.get(visitor.signInAt(start, "kc-alice", "alice-secret-1"));
      assertEquals(302, back.statusCode(), back.body());
      assertEquals(url("app.sso.test", "/"), back.headers().firstValue("Location").orElseThrow(), target);
    }
    OidcBrowser visitor = new OidcBrowser();
    String start = url("app.sso.test", "/.portico/auth/login?return=" + URLEncoder.encode("/deep/page?q=1", StandardCharsets.UTF_8));
    HttpResponse<String> back = visitor.get(visitor.signInAt(start, "kc-alice", "alice-secret-1"));
    assertEquals(url("app.sso.test", "/deep/page?q=1"), back.headers().firstValue("Location").orElseThrow());
  }

  @Test
  void behindATrustedTlsBalancerTheSignInIsHttpsWithHostPrefixedCookies() throws Exception {
    HttpResponse<String> forwarded = new OidcBrowser().get(url("lb.sso.test", "/"), "Accept", HTML,
        "X-Forwarded-Proto", "https");
    assertEquals(302, forwarded.statusCode(), forwarded.body());
    assertTrue(forwarded.headers().firstValue("Location").orElseThrow().contains("redirect_uri="
        + URLEncoder.encode("https://lb.sso.test:" + harness.httpPort() + "/.portico/auth/callback", StandardCharsets.UTF_8)));
    String state = forwarded.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(state.startsWith("__Host-portico_sso_state=") && state.endsWith("; Secure") && state.contains("; Path=/;"),
        state);

    // the same header from a client no site trusts claims nothing
    HttpResponse<String> claimed = new OidcBrowser().get(url("app.sso.test", "/"), "Accept", HTML,
        "X-Forwarded-Proto", "https");
    assertTrue(claimed.headers().firstValue("Location").orElseThrow().contains("redirect_uri="
        + URLEncoder.encode(url("app.sso.test", "/.portico/auth/callback"), StandardCharsets.UTF_8)));
    String plain = claimed.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(plain.startsWith("portico_sso_state=") && !plain.contains("Secure"), plain);
  }

  @Test
  void aProviderThatIsDownIsABadGatewayPageNamingIt() throws Exception {
    HttpResponse<String> answer = new OidcBrowser().get(url("down.sso.test", "/"), "Accept", HTML);
    assertEquals(502, answer.statusCode(), answer.body());
    assertTrue(answer.body().contains("127.0.0.1:" + closedPort), answer.body());
    assertTrue(answer.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
  }

  @Test
  void forgedSessionCookiesAreNoSession() {
    for (String cookie : List.of("portico_sso=" + "B".repeat(43), "portico_sso=" + "x".repeat(4000),
        "portico_sso=../../etc", "a=b; portico_sso=")) {
      HttpResponse<String> answer = harness.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
          "http://127.0.0.1:" + harness.httpPort() + "/")).header("Host", "app.sso.test").header("Cookie", cookie)
          .header("X-Portico-User", "kc-alice").build());
      assertEquals(401, answer.statusCode(), cookie + ": " + answer.body());
      assertFalse(answer.body().startsWith("backend"), "the backend was not asked");
    }
  }

  @Test
  void ssoProvidersAreRecordsWithASealedSecret() {
    AdminClient.Answer read = api.get("/api/v1/sso-providers/kc", admin);
    assertEquals(200, read.status(), read.body());
    assertEquals(keycloak.issuer(), read.json().getString("issuer"));
    assertTrue(read.json().getBoolean("clientSecretSet"));
    assertFalse(read.body().contains("portico-edge-client-secret"), read.body());
    String stored = Harness.await(harness.redisApi.get("portico:sso-provider:kc")).toString();
    assertTrue(new JsonObject(stored).getString("clientSecret").startsWith("aesgcm1:"), stored);
    assertEquals(4, api.get("/api/v1/sso-providers", admin).json().getJsonArray("items").size());
    String audit = api.get("/api/v1/audit?limit=100", admin).body();
    assertTrue(audit.contains("sso-provider.create") && audit.contains("sso-provider:kc"), audit);
    assertFalse(audit.contains("client-secret"), "the audit never shows a client secret");

    JsonObject moved = new JsonObject().put("issuer", "https://idp.elsewhere.test/realms/x").put("clientId", "portico-edge");
    AdminClient.Answer refused = api.put("/api/v1/sso-providers/kc", admin, moved);
    assertEquals(400, refused.status(), "the stored secret goes only to the issuer it was given for: " + refused.body());
    AdminClient.Answer plain = api.put("/api/v1/sso-providers/bad", admin, new JsonObject()
        .put("issuer", "http://idp.example.test/realms/x").put("clientId", "c").put("clientSecret", "s"));
    assertEquals(400, plain.status(), "an issuer over plain HTTP off loopback: " + plain.body());
    assertEquals(400, api.put("/api/v1/sites/bad.sso.test", admin, siteJson("127.0.0.1:1",
        new JsonObject().put("provider", "kc").put("claimHeaders", new JsonObject().put("sub", "Host")))).status());
    assertEquals(404, api.delete("/api/v1/sso-providers/nothing", admin).status());
  }

  private void assertRefused(HttpResponse<String> answer, String what) {
    assertEquals(400, answer.statusCode(), what + ": " + answer.body());
    assertTrue(answer.body().contains("Sign-in failed"), what + ": " + answer.body());
  }

  /** A browser signed in on {@code host} (after the sign-in's redirect back, before any page). */
  private OidcBrowser signedIn(String host, String user, String password) throws Exception {
    OidcBrowser browser = new OidcBrowser();
    HttpResponse<String> back = browser.get(browser.signInAt(url(host, "/"), user, password, "Accept", HTML));
    assertEquals(302, back.statusCode(), back.body());
    return browser;
  }

  /** The Redis key of the one session made on {@code host}. */
  private String sessionKeyOf(String host) {
    for (var key : Harness.await(harness.redisApi.keys("portico:sso-session:*"))) {
      if (host.equals(new JsonObject(Harness.await(harness.redisApi.get(key.toString())).toString()).getString("host"))) {
        return key.toString();
      }
    }
    throw new AssertionError("no session on " + host);
  }

  private String url(String host, String pathAndQuery) {
    return "http://" + host + ":" + harness.httpPort() + pathAndQuery;
  }

  private void provider(String id, String issuer, String clientId, String secret) {
    AdminClient.Answer answer = api.put("/api/v1/sso-providers/" + id, admin, new JsonObject().put("issuer", issuer)
        .put("clientId", clientId).put("clientSecret", secret).put("groupsClaim", "groups"));
    assertEquals(201, answer.status(), answer.body());
  }

  private void site(String pattern, String backend, JsonObject sso) {
    AdminClient.Answer answer = api.put("/api/v1/sites/" + pattern, admin, siteJson(backend, sso));
    assertEquals(201, answer.status(), answer.body());
  }

  private static JsonObject siteJson(String backend, JsonObject sso) {
    return new JsonObject().put("targets", new JsonArray().add(backend)).put("sso", sso);
  }
}
