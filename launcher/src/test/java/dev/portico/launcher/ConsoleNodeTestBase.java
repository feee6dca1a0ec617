package dev.portico.launcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every console browser test starts with: a node (edge and admin, embedded Redis) whose
 * admin signs in with the password the test names, its admin API, and Debian's headless Chromium,
 * started once per test class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConsoleNodeTestBase {

  private final String adminPassword;
  protected Harness harness;
  protected AdminClient api;
  /** The console's address. */
  protected String console;
  protected ConsoleBrowser browser;

  protected ConsoleNodeTestBase(String adminPassword) {
    this.adminPassword = adminPassword;
  }

  @BeforeAll
  void startNode() throws Exception {
    assertTrue(ConsoleBrowser.available(), "the console tests need Debian's chromium and chromium-driver at "
        + ConsoleBrowser.CHROMIUM + " and " + ConsoleBrowser.CHROMEDRIVER + " (.ci/run installs them)");
    harness = new Harness(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", adminPassword));
    api = new AdminClient(harness.portico.config().adminPort());
    console = "http://127.0.0.1:" + harness.portico.config().adminPort() + "/";
    browser = new ConsoleBrowser(1280, 900);
  }

  @AfterAll
  void stopNode() {
    if (browser != null) {
      browser.close();
    }
    if (harness != null) {
      harness.close();
    }
  }
}
