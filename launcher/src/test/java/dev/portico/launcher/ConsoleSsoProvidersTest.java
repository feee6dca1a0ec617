package dev.portico.launcher;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's SSO providers page in a real browser against a real node: create a provider, see
 * it listed with its secret set and the secret nowhere in the page, edit it keeping the secret, an
 * invalid issuer refused on the issuer field, delete it.
 */
class ConsoleSsoProvidersTest extends ConsoleNodeTestBase {

  private static final String PASSWORD = "console sso password";
  private static final String SECRET = "sso-secret-7d2e0a";


  ConsoleSsoProvidersTest() {
    super(PASSWORD);
  }

  @Test
  void createListEditRefuseAnInvalidIssuerAndDeleteAProvider() {
    String issuer = "http://127.0.0.1:" + Harness.freePort() + "/realms/x";
    browser.signIn(console, "admin", PASSWORD);
    browser.click("#nav a[data-page=sso]");
    browser.withText("#view h1", "SSO providers");
    browser.withText("#sso-list", "No SSO providers yet.");

    browser.type("#sso-form [name=id]", "keycloak-x");
    browser.type("#sso-form [name=issuer]", issuer);
    browser.type("#sso-form [name=clientId]", "portico-edge");
    browser.type("#sso-form [name=clientSecret]", SECRET);
    browser.type("#sso-form [name=groupsClaim]", "groups");
    browser.click("#sso-form button[type=submit]");
    browser.withText("#sso-list .provider-id", "keycloak-x");
    browser.withText("#sso-list .secret-set", "secret set");
    browser.withText("#sso-list td", issuer);
    assertEquals("", browser.visible("#sso-form [name=clientSecret]").getAttribute("value"), "the secret is cleared");
    assertFalse(browser.driver.getPageSource().contains(SECRET), "the secret never comes back");

    // edit: the form is filled from the list without the secret; saving keeps the stored one
    browser.clickText("#sso-list button", "Edit");
    assertEquals(issuer, browser.visible("#sso-form [name=issuer]").getAttribute("value"));
    assertEquals("", browser.visible("#sso-form [name=clientSecret]").getAttribute("value"));
    browser.type("#sso-form [name=groupsClaim]", "roles");
    browser.click("#sso-form button[type=submit]");
    browser.withText("#sso-list td", "roles");
    browser.withText("#sso-list .secret-set", "secret set");
    String token = api.login("admin", PASSWORD);
    JsonObject stored = api.get("/api/v1/sso-providers/keycloak-x", token).json();
    assertEquals("roles", stored.getString("groupsClaim"));
    assertEquals(true, stored.getBoolean("clientSecretSet"), stored.encode());
    assertFalse(browser.driver.getPageSource().contains(SECRET), "the secret never comes back");

    // the API's error is shown on the field it names
    browser.type("#sso-form [name=issuer]", "http://example.com");
    browser.click("#sso-form button[type=submit]");
    browser.withText("#sso-form label:has(> [name=issuer]) .field-error", "http only to loopback");
    assertEquals("true", browser.visible("#sso-form [name=issuer]").getAttribute("aria-invalid"));
    assertEquals(issuer, api.get("/api/v1/sso-providers/keycloak-x", token).json().getString("issuer"));

    browser.clickText("#sso-list button", "Delete");
    browser.withText("#sso-list", "No SSO providers yet.");
    assertEquals(404, api.get("/api/v1/sso-providers/keycloak-x", token).status());

    // no global admin: no link to the page, and the API's refusal if they go there anyway
    assertEquals(201, api.post("/api/v1/users", token, new JsonObject().put("username", "carol")
        .put("password", "carol password 1").put("role", "user")).status());
    browser.click("#signout");
    browser.signIn(console, "carol", "carol password 1");
    browser.withText("#who", "carol");
    assertTrue(browser.driver.findElements(By.cssSelector("#nav a[data-page=sso]")).stream()
        .noneMatch(link -> link.isDisplayed()), "no global admin: no SSO providers page");
    browser.page("#/sso", "SSO providers");
    browser.withText("#sso-list .error", "admin");
  }
}
