package dev.portico.launcher;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every console browser test starts with: a node (edge and admin, embedded Redis) whose
 * admin signs in with {@code adminPassword}, its admin API, and Debian's headless Chromium.
 */
final class ConsoleNode implements AutoCloseable {

  final Harness harness;
  final AdminClient api;
  /** The console's address. */
  final String console;
  final ConsoleBrowser browser;

  ConsoleNode(String adminPassword) throws Exception {
    assertTrue(ConsoleBrowser.available(), "the console tests need Debian's chromium and chromium-driver at "
        + ConsoleBrowser.CHROMIUM + " and " + ConsoleBrowser.CHROMEDRIVER + " (.ci/run installs them)");
    harness = new Harness(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", adminPassword));
    try {
      api = new AdminClient(harness.portico.config().adminPort());
      console = "http://127.0.0.1:" + harness.portico.config().adminPort() + "/";
      browser = new ConsoleBrowser(1280, 900);
    } catch (RuntimeException e) {
      harness.close();
      throw e;
    }
  }

  @Override
  public void close() {
    browser.close();
    harness.close();
  }
}
