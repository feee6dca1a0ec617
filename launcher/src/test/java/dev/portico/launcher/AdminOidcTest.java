package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
  private static final Pattern LOGIN_FORM = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*>");
  private static final Pattern ACTION = Pattern.compile("action=\"([^\"]+)\"");

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
    Browser alice = new Browser();
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
    Browser bob = new Browser();
    HttpResponse<String> answer = bob.get(bob.signInAt(adminLogin(), "kc-bob", "bob-secret-1"));
    assertEquals(200, answer.statusCode(), answer.body());
    String token = new JsonObject(answer.body()).getString("token");
    assertEquals(403, api.put("/api/v1/sites/bob.team.test", token, site()).status());
    assertEquals(new JsonArray(), api.get("/api/v1/sites", token).json().getJsonArray("items"));
  }

  @Test
  void forgedCallbacksAndCodesOfOtherClientsAreRefused() throws Exception {
    Browser mallory = new Browser();
    String callback = "http://127.0.0.1:" + adminPort + "/api/v1/auth/oidc/callback";
    assertEquals(400, mallory.get(callback + "?code=made-up&state=made-up").statusCode(), "a state never issued");
    assertEquals(400, mallory.get(callback).statusCode());

    // a real state with a made-up code: Keycloak refuses the code, the state is spent
    String authorize = mallory.get(adminLogin()).headers().firstValue("Location").orElseThrow();
    String state = query(authorize, "state");
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

  private static String query(String url, String name) {
    for (String pair : URI.create(url).getRawQuery().split("&")) {
      if (pair.startsWith(name + "=")) {
        return pair.substring(name.length() + 1);
      }
    }
    throw new AssertionError("no " + name + " in " + url);
  }

  /**
   * What a browser does here: keeps cookies (and, as browsers do for 127.0.0.1, a secure context,
   * sends Keycloak's {@code Secure} cookies over plain HTTP), follows nothing by itself, fills in
   * Keycloak's login form.
   */
  private static final class Browser {

    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new LoopbackIsSecure())
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    String lastCallback;

    HttpResponse<String> get(String url) throws Exception {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    /** Starts at {@code start}, signs in at Keycloak's form; returns the callback URL Keycloak sends the browser to. */
    String signInAt(String start, String username, String password) throws Exception {
      String url = start;
      HttpResponse<String> page = get(url);
      for (int hop = 0; page.statusCode() / 100 == 3 && hop < 5; hop++) {
        url = URI.create(url).resolve(page.headers().firstValue("Location").orElseThrow()).toString();
        page = get(url);
      }
      assertEquals(200, page.statusCode(), page.body());
      Matcher form = LOGIN_FORM.matcher(page.body());
      assertTrue(form.find(), "Keycloak's login form: " + page.body());
      Matcher action = ACTION.matcher(form.group());
      assertTrue(action.find(), form.group());
      String body = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
          + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&credentialId=";
      HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(action.group(1).replace("&amp;", "&")))
              .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(30))
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(302, posted.statusCode(), posted.body());
      lastCallback = posted.headers().firstValue("Location").orElseThrow();
      assertNotNull(query(lastCallback, "state"));
      return lastCallback;
    }
  }

  /** A cookie jar that stores {@code Secure} cookies from 127.0.0.1 as plain ones, so they go back over HTTP. */
  private static final class LoopbackIsSecure extends java.net.CookieHandler {

    private final CookieManager jar = new CookieManager();

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) throws java.io.IOException {
      return jar.get(uri, headers);
    }

    @Override
    public void put(URI uri, Map<String, List<String>> headers) throws java.io.IOException {
      Map<String, List<String>> plain = new HashMap<>();
      headers.forEach((name, values) -> plain.put(name, name != null && name.equalsIgnoreCase("Set-Cookie")
          ? values.stream().map(value -> value.replaceAll("(?i);\\s*Secure(?=;|$)", "")).toList() : values));
      jar.put(uri, plain);
    }
  }
}
