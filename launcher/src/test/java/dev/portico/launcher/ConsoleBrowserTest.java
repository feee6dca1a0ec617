package dev.portico.launcher;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web console in a real browser (Debian's headless Chromium) against a real node with its
 * embedded Redis: every step is what an operator does with the mouse and keyboard, and every
 * check is what they would see, or what the edge and the API do afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest extends ConsoleNodeTestBase {

  private static final String PASSWORD = "console test password";
  /** Markup that would run script or add an element if it were ever parsed as HTML. */
  private static final String MARKUP = "<img src=x id=injected onerror=\"window.__xss=1\"><b id=bold>b</b>";
  private static final String DNS_SECRET = "dns-secret-4f1c9b";

  private int backend;

  ConsoleBrowserTest() {
    super(PASSWORD);
  }

  @BeforeAll
  void startBackend() {
    backend = harness.namedBackend("shop-backend");
  }

  @Test
  @Order(0)
  void theConsoleAndTheApiComeWithAStrictPolicyAndNoFramingAndOnlyListedFilesAreServed() {
    for (String path : new String[] {"/", "/console/app.js", "/api/v1/openapi.json"}) {
      AdminClient.Answer answer = api.get(path, null);
      assertEquals(200, answer.status(), path);
      String policy = answer.header("Content-Security-Policy");
      assertTrue(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'")
          && !policy.contains("unsafe"), path + ": " + policy);
      assertEquals("DENY", answer.header("X-Frame-Options"), path);
      assertEquals("nosniff", answer.header("X-Content-Type-Options"), path);
    }
    for (String path : new String[] {"/console/files.txt", "/console/..%2fopenapi.json", "/console/%2e%2e%2fapp.js",
        "/console/"}) {
      assertEquals(404, api.get(path, null).status(), path);
    }
  }

  @Test
  @Order(1)
  void signInAndCreateASiteWithPoliciesThatRoutes() {
    browser.signIn(console, "admin", PASSWORD);
    browser.withText("#who", "admin");
    browser.click("#new-site");
    browser.type("#site-form [name=pattern]", "shop.test");
    browser.type("#f-targets", "127.0.0.1:" + backend);
    browser.select("#f-tls", "off");
    browser.click("details[data-field='requestHeaders'] > summary");
    browser.type("#f-requestHeaders\\.set", "X-From-Console: first");
    browser.click("details[data-field='rateLimit'] > summary");
    browser.type("#f-rateLimit\\.requests", "1000");
    browser.type("#f-rateLimit\\.perSeconds", "60");
    browser.click("details[data-field='cache'] > summary");
    browser.type("#f-cache\\.defaultTtlSeconds", "0");  // the echo page states no freshness: not stored
    browser.click("#save-site");
    browser.withText("#view h1", "Site shop.test");

    Harness.waitFor(() -> harness.get("shop.test", "/").body().contains("x-from-console: first"), 30_000);
    JsonObject stored = api.get("/api/v1/sites/shop.test", token()).json().getJsonObject("site");
    assertEquals(1000, stored.getJsonObject("rateLimit").getInteger("requests"));
    assertEquals(0, stored.getJsonObject("cache").getInteger("defaultTtlSeconds"), "the cache settings are in the form");
    browser.click("#purge-cache");
    browser.withText("#toast", "Purged the cached responses of shop.test");
  }

  @Test
  @Order(2)
  void editTheSiteAndSeeTheEdgeFollow() {
    browser.page("#/sites", "Sites");
    browser.type("#view input[type=search]", "shop");
    browser.clickText("#sites-list .site-link", "shop.test");
    browser.withText("#view h1", "Site shop.test");
    browser.type("#f-requestHeaders\\.set", "X-From-Console: edited");
    browser.click("#save-site");
    Harness.waitFor(() -> harness.get("shop.test", "/").body().contains("x-from-console: edited"), 30_000);
  }

  @Test
  @Order(3)
  void aValidationErrorShowsOnTheFieldTheApiNames() {
    browser.page("#/site/shop.test", "Site shop.test");
    browser.type("#f-targets", "not-a-target");
    browser.click("#save-site");
    String error = browser.withText(".field[data-field='targets'] .field-error", "not host:port").getText();
    assertTrue(error.contains("not-a-target"), error);
    assertEquals("true", browser.visible("#f-targets").getAttribute("aria-invalid"));
    assertTrue(harness.get("shop.test", "/").body().contains("shop-backend"), "the refused edit changed nothing");
  }

  @Test
  @Order(4)
  void resolveANameWithItsExplanation() {
    browser.page("#/resolve", "Which site serves this name?");
    browser.type("#view [name=host]", "shop.test");
    browser.click("#view form button[type=submit]");
    browser.withText("#resolved-site", "shop.test");
    browser.withText("#resolve-answer", "labels are matched from the right");
  }

  @Test
  @Order(5)
  void uploadACertificate() {
    String[] pems = TestCertificates.pems("upload.test");
    browser.page("#/certificates", "Certificates");
    browser.click("#upload-toggle");
    browser.type("#upload-form [name=name]", "upload.test");
    setValue("#upload-form [name=certificatePem]", pems[0]);
    setValue("#upload-form [name=privateKeyPem]", pems[1]);
    browser.click("#upload-form button[type=submit]");
    browser.withText("#certificates-list .cert-name", "upload.test");
    assertFalse(browser.driver.getPageSource().contains("PRIVATE KEY-----\n"), "the key field is emptied after upload");
  }

  @Test
  @Order(6)
  void createADnsProviderAndSeeNoCredentialComeBack() {
    browser.page("#/dns", "DNS providers");
    browser.type("#dns-form [name=id]", "cf-console");
    browser.select("#dns-form [name=type]", "cloudflare");
    browser.type("#dns-form [name=domains]", "console.test");
    browser.type("#dns-form [name=credentials]", "apiToken: " + DNS_SECRET);
    browser.click("#dns-form button[type=submit]");
    browser.withText("#dns-list .credentials-set", "apiToken");
    browser.driver.navigate().refresh();
    browser.withText("#dns-list .provider-id", "cf-console");
    assertFalse(browser.driver.getPageSource().contains(DNS_SECRET), "the credential never comes back");
  }

  @Test
  @Order(7)
  void createAndRevokeAnApiToken() {
    browser.page("#/users", "API tokens");
    browser.type("#token-form [name=tokenName]", "ci-console");
    browser.click("#token-form button[type=submit]");
    String token = browser.visible("#token-value").getAttribute("value");
    assertTrue(token.startsWith("pat_"), token);
    assertEquals(200, api.get("/api/v1/auth/me", token).status());
    browser.withText("#tokens-list tr", "ci-console").findElement(By.cssSelector("button")).click();
    browser.gone("#tokens-list .token-name");
    Harness.waitFor(() -> api.get("/api/v1/auth/me", token).status() == 401, 30_000);
  }

  @Test
  @Order(8)
  void markupInASiteFieldAndTheAuditRendersAsText() {
    JsonObject site = new JsonObject().put("targets", new io.vertx.core.json.JsonArray().add("127.0.0.1:" + backend))
        .put("tls", "off").put("requestHeaders", new JsonObject().put("set", new JsonObject().put("X-Note", MARKUP)));
    assertEquals(201, api.put("/api/v1/sites/xss.test", token(), site).status());

    browser.page("#/site/xss.test", "Site xss.test");
    assertEquals("X-Note: " + MARKUP, browser.visible("#f-requestHeaders\\.set").getAttribute("value"));
    browser.click("#raw-tab");
    assertTrue(browser.visible("#view textarea.raw").getAttribute("value").contains("<img src=x id=injected"));

    browser.page("#/audit", "Audit");
    browser.clickText("#audit-list .audit-resource", "site:xss.test");
    browser.withText("#audit-list .audit-after", "<img src=x id=injected");
    browser.type("#view input[type=search]", "xss.test");
    browser.withText("#audit-list .audit-resource", "site:xss.test");

    assertTrue(browser.driver.findElements(By.cssSelector("#injected, #bold")).isEmpty(), "no element came from the data");
    assertNull(browser.script("return window.__xss"), "no script ran");
  }

  @Test
  @Order(9)
  void readTheAuditOfThisSession() {
    browser.page("#/audit", "Audit");
    browser.withText("#audit-list .badge", "site.create");
    browser.withText("#audit-list .audit-resource", "site:shop.test");
    browser.withText("#audit-list .audit-resource", "dns-provider");
  }

  @Test
  @Order(10)
  void liveShowsTheNodeAndTheSiteTraffic() {
    for (int i = 0; i < 5; i++) {
      harness.get("shop.test", "/");
    }
    browser.page("#/live", "Live");
    browser.visible("#live .node-name");
    browser.withText("#live .live-site", "shop.test");
    browser.visible("#live svg.chart");
  }

  @Test
  @Order(11)
  void anEndedSessionReturnsToSignInAndSignOutEndsIt() {
    browser.script("sessionStorage.setItem('portico.token', 'expired.or.forged')");
    browser.script("location.hash = '#/sites'");
    browser.withText("#signin-note", "session ended");
    browser.signIn(console, "admin", PASSWORD);
    String session = (String) browser.script("return sessionStorage.getItem('portico.token')");
    browser.click("#signout");
    browser.withText("#signin-note", "signed out");
    assertNull(browser.script("return sessionStorage.getItem('portico.token')"));
    Harness.waitFor(() -> api.get("/api/v1/auth/me", session).status() == 401, 30_000);
  }

  private String token() {
    return api.login("admin", PASSWORD);
  }

  /** Long PEM text goes in at once (typing it key by key adds nothing but time). */
  private void setValue(String css, String value) {
    browser.script("arguments[0].value = arguments[1]", browser.visible(css), value);
  }
}
