package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's identity pages in a real browser (Debian's headless Chromium) against a real node
 * and a real OIDC provider (Keycloak): groups and permissions as a global admin manages them, with
 * the API's refusals shown and every change in the audit; then signing in through the provider
 * (its login form, back to the console without the token in any URL), the group's grants at work,
 * and signing out, which ends the provider's session too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIdentityTest {

  private static final String PASSWORD = "console identity password";
  private static final String MARKUP = "<img src=x id=injected onerror=\"window.__xss=1\">";

  private KeycloakServer keycloak;
  private Harness harness;
  private ConsoleBrowser browser;
  private AdminClient api;
  private String console;
  private int adminPort;

  @BeforeAll
  void start() throws Exception {
    assertTrue(ConsoleBrowser.available(), "the console tests need Debian's chromium and chromium-driver at "
        + ConsoleBrowser.CHROMIUM + " and " + ConsoleBrowser.CHROMEDRIVER + " (.ci/run installs them)");
    keycloak = KeycloakServer.start();
    adminPort = Harness.freePort();
    harness = new Harness(new HashMap<>(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", PASSWORD,
        "PORTICO_ADMIN_PORT", Integer.toString(adminPort), "PORTICO_ADMIN_OIDC_ISSUER", keycloak.issuer(),
        "PORTICO_ADMIN_OIDC_CLIENT_ID", "portico-admin", "PORTICO_ADMIN_OIDC_CLIENT_SECRET", "portico-admin-client-secret",
        "PORTICO_ADMIN_OIDC_REDIRECT_URI", "http://127.0.0.1:" + adminPort + "/api/v1/auth/oidc/callback")));
    api = new AdminClient(adminPort);
    console = "http://127.0.0.1:" + adminPort + "/";
    String admin = api.login("admin", PASSWORD);
    assertEquals(201, api.post("/api/v1/users", admin, new JsonObject().put("username", "carol")
        .put("password", "carol password 1").put("role", "user")).status());
    for (String name : List.of("app.team.test", "app.other.test")) {
      assertEquals(201, api.put("/api/v1/sites/" + name, admin,
          new JsonObject().put("targets", new JsonArray().add("10.255.0.1:8080"))).status());
    }
    browser = new ConsoleBrowser(1280, 900);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (harness != null) {
      harness.close();
    }
    if (keycloak != null) {
      keycloak.close();
    }
  }

  @Test
  @Order(1)
  void createAGroupAddAndRemoveMembersWithTheApisRefusalsShown() {
    browser.signIn(console, "admin", PASSWORD);
    browser.page("#/groups", "Groups");
    browser.type("#group-form [name=name]", "web-team");
    browser.type("#group-form [name=description]", MARKUP);
    browser.click("#group-form button[type=submit]");
    browser.withText("#group-detail h2", "Members of web-team");
    browser.withText("#groups-list td", MARKUP);

    browser.type("#member-form [name=member]", "nobody");
    browser.click("#member-form button[type=submit]");
    browser.withText("#group-error", "no user nobody");
    browser.type("#member-form [name=member]", "carol");
    browser.click("#member-form button[type=submit]");
    browser.withText("#group-detail .member-name", "carol");
    assertEquals(new JsonArray().add("carol"), api.get("/api/v1/groups/web-team", token()).json().getJsonArray("members"));

    browser.type("#group-form [name=name]", "web-team");
    browser.click("#group-form button[type=submit]");
    browser.withText("#group-error", "exists");
    browser.type("#group-form [name=name]", "Not A Name");
    browser.click("#group-form button[type=submit]");
    browser.withText("#group-error", "name");

    browser.type("#group-form [name=name]", "short-lived");
    browser.click("#group-form button[type=submit]");
    browser.withText("#group-detail h2", "Members of short-lived");
    browser.click("button[aria-label='Delete group short-lived']");
    browser.gone("button[aria-label='Delete group short-lived']");
    assertEquals(404, api.get("/api/v1/groups/short-lived", token()).status());

    browser.clickText("#groups-list .group-name", "web-team");
    browser.click("button[aria-label='Remove carol']");
    browser.withText("#group-detail", "No members yet.");
    assertTrue(browser.driver.findElements(By.cssSelector("#injected")).isEmpty(), "no element came from the data");
    assertNull(browser.script("return window.__xss"), "no script ran");
  }

  @Test
  @Order(2)
  void grantListAndRevokeRolesAtScopesToUsersAndGroups() {
    browser.page("#/permissions", "Permissions");
    browser.withText("#grants-list .grant-subject", "user admin");          // the first admin's global grant

    grant("group", "web-team", "manager", "team.test");
    browser.withText("#grants-list tr", "group web-team");
    grant("user", "carol", "viewer", "other.test");
    browser.withText("#grants-list tr", "user carol");
    JsonObject me = api.get("/api/v1/auth/me", api.login("carol", "carol password 1")).json();
    assertEquals("viewer", me.getJsonObject("permissions").getJsonObject("domains").getString("other.test"));

    grant("user", "carol", "viewer", "*.bad.test");
    browser.withText("#grant-error", "domain");
    grant("group", "no-such-group", "viewer", "global");
    browser.withText("#grant-error", "no group no-such-group");

    browser.click("button[aria-label='Revoke viewer of user carol at other.test']");
    browser.gone("button[aria-label='Revoke viewer of user carol at other.test']");
    assertEquals(404, api.get("/api/v1/users/carol/grants/other.test", token()).status());

    JsonArray audit = api.get("/api/v1/audit?limit=1000", token()).json().getJsonArray("items");
    for (String[] change : new String[][] {{"group.create", "group:web-team"}, {"group.member.add", "group:web-team:member:carol"},
        {"group.member.remove", "group:web-team:member:carol"}, {"group.delete", "group:short-lived"},
        {"grant.create", "grant:group:web-team:domain:team.test"}, {"grant.delete", "grant:user:carol:domain:other.test"}}) {
      assertTrue(audit.stream().map(JsonObject.class::cast).anyMatch(entry -> change[0].equals(entry.getString("action"))
          && change[1].equals(entry.getString("resource")) && "admin".equals(entry.getString("who"))),
          "audited: " + String.join(" ", change));
    }
  }

  @Test
  @Order(3)
  void signInThroughTheProviderHoldsTheGroupsGrantsAndSignOutEndsTheProvidersSession() {
    browser.click("#signout");
    browser.withText("#oidc-issuer", keycloak.issuer());
    browser.click("#oidc-button");
    keycloakSignIn("kc-alice", "alice-secret-1");
    browser.visible("#nav");
    browser.withText("#who", "@oidc");
    String address = browser.driver.getCurrentUrl();
    assertEquals(URI.create(console).resolve("/#/sites").toString(), address, "no code or token left in the address");

    browser.withText("#sites-list .site-link", "app.team.test");
    assertTrue(browser.driver.findElements(By.xpath("//*[@id='sites-list']//*[contains(text(),'app.other.test')]"))
        .isEmpty(), "the other domain's site is not listed");
    assertTrue(browser.driver.findElements(By.cssSelector("#nav a[data-page=groups]")).stream()
        .noneMatch(link -> link.isDisplayed()), "no global admin: no groups page");
    String session = (String) browser.script("return sessionStorage.getItem('portico.token')");
    assertEquals(200, api.get("/api/v1/auth/me", session).status());

    browser.click("#signout");
    browser.visible("#oidc-button");
    Harness.waitFor(() -> api.get("/api/v1/auth/me", session).status() == 401, 30_000);
    browser.click("#oidc-button");
    browser.visible("#kc-form-login");                                      // the provider asks again: its session ended
  }

  @Test
  @Order(4)
  void aSignInFromAnotherBrowserOrAFailedOneEndsOnTheSignInPage() throws Exception {
    OidcBrowser mallory = new OidcBrowser();
    String planted = mallory.signInAt(console + "api/v1/auth/oidc/login?console=1", "kc-bob", "bob-secret-1");
    browser.open(planted);
    browser.withText("#signin-note", "another browser");
    assertNull(browser.script("return sessionStorage.getItem('portico.token')"));

    browser.open(console + "#/oidc/made-up-code");
    browser.withText("#signin-note", "unknown, expired or already used sign-in code");
    assertNull(browser.script("return sessionStorage.getItem('portico.token')"));
  }

  private void grant(String type, String name, String role, String scope) {
    browser.select("#grant-form [name=subjectType]", type);
    browser.type("#grant-form [name=subject]", name);
    browser.select("#grant-form [name=role]", role);
    browser.type("#grant-form [name=scope]", scope);
    browser.click("#grant-form button[type=submit]");
  }

  private void keycloakSignIn(String username, String password) {
    browser.type("#kc-form-login #username", username);
    browser.type("#kc-form-login #password", password);
    browser.click("#kc-form-login [type=submit]");
  }

  private String token() {
    return api.login("admin", PASSWORD);
  }
}
