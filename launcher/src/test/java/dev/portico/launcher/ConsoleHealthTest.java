package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's upstream health view in a real browser against a real node: a site whose active
 * check finds one target answering and one closed port shows one up and one down; a site without
 * a check says it is not checked.
 */
class ConsoleHealthTest extends ConsoleNodeTestBase {

  private static final String PASSWORD = "console health password";


  ConsoleHealthTest() {
    super(PASSWORD);
  }

  @Test
  void theHealthViewShowsEachTargetUpOrDownAndASiteWithoutACheckAsNotChecked() {
    String up = "127.0.0.1:" + harness.namedBackend("healthy-backend");
    String down = "127.0.0.1:" + Harness.freePort();  // nothing listens there
    String token = api.login("admin", PASSWORD);
    JsonObject checked = new JsonObject().put("targets", new JsonArray().add(up).add(down)).put("tls", "off")
        .put("healthCheck", new JsonObject().put("path", "/").put("intervalMs", 500).put("timeoutMs", 400));
    assertEquals(201, api.put("/api/v1/sites/checked.test", token, checked).status());
    JsonObject unchecked = new JsonObject().put("targets", new JsonArray().add(up)).put("tls", "off");
    assertEquals(201, api.put("/api/v1/sites/unchecked.test", token, unchecked).status());
    // a node checks a site while it serves it: one request through the edge starts the checks
    Harness.waitFor(() -> harness.get("checked.test", "/").body().contains("healthy-backend"), 30_000);

    browser.signIn(console, "admin", PASSWORD);
    browser.page("#/site/checked.test", "Site checked.test");
    browser.click("#site-health");
    browser.withText("#view h1", "Upstream health of checked.test");
    browser.visible("#health .health-node");
    Harness.waitFor(() -> "up".equals(state(up)) && "down".equals(state(down)), 20_000);
    String[] result = new String[1];
    Harness.waitFor(() -> (result[0] = cell(down, ".health-result")) != null, 20_000);
    assertTrue(!result[0].isBlank() && !result[0].equals("not checked yet"), "the closed port's last result: " + result[0]);

    browser.page("#/health/unchecked.test", "Upstream health of unchecked.test");
    browser.withText("#health-state", "Not checked");
  }

  private String state(String target) {
    return cell(target, ".health-state");
  }

  /** A cell of {@code target}'s row on the (only) node, or null while the view shows none. */
  private String cell(String target, String css) {
    try {
      WebElement row = row(target);
      return row == null ? null : row.findElement(By.cssSelector(css)).getText();
    } catch (StaleElementReferenceException rerendered) {
      return null;
    }
  }

  private WebElement row(String target) {
    try {
      Thread.sleep(200);  // the view refreshes every 2 s: no need to ask the browser more often
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<WebElement> rows = browser.driver.findElements(By.cssSelector("#health tbody tr"));
    return rows.stream().filter(r -> r.findElement(By.cssSelector(".health-target")).getText().equals(target))
        .findFirst().orElse(null);
  }
}
