package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.openqa.selenium.OutputType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Makes the README's screenshots of the console (run by {@code bench/console.sh screenshots}; a
 * script, not a test): a real node with a few sites, a certificate, a DNS provider and some
 * traffic, photographed by headless Chromium into the directory given as the first argument.
 */
public final class ConsoleScreenshots {

  private static final String PASSWORD = "screenshot password";

  private ConsoleScreenshots() {
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "docs/console");
    Files.createDirectories(out);
    try (Harness harness = new Harness(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", PASSWORD))) {
      AdminClient api = new AdminClient(harness.portico.config().adminPort());
      String token = api.login("admin", PASSWORD);
      int backend = harness.namedBackend("shop");
      seed(api, token, backend);
      AtomicBoolean running = new AtomicBoolean(true);
      Thread traffic = new Thread(() -> {
        String[] hosts = {"shop.example.com", "api.example.com", "www.example.com", "unknown.example.net"};
        for (int i = 0; running.get(); i++) {
          harness.get(hosts[i % hosts.length], "/");
          Harness.sleep(i % 7 == 0 ? 40 : 8);
        }
      });
      traffic.start();
      String url = "http://127.0.0.1:" + harness.portico.config().adminPort() + "/";
      try (ConsoleBrowser browser = new ConsoleBrowser(1280, 860)) {
        browser.signIn(url, "admin", PASSWORD);
        browser.script("localStorage.setItem('portico.theme', 'light'); document.documentElement.dataset.theme = 'light'");
        browser.page("#/sites", "Sites");
        browser.withText("#sites-list", "shop.example.com");
        browser.withText("#sites-list", "days left");
        shot(browser, out.resolve("sites.png"));
        browser.page("#/site/shop.example.com", "Site shop.example.com");
        shot(browser, out.resolve("site-form.png"));
        browser.page("#/resolve/www.example.com", "Which site serves this name?");
        browser.visible("#resolved-site");
        shot(browser, out.resolve("resolve.png"));
        browser.page("#/certificates", "Certificates");
        browser.withText("#certificates-list", "shop.example.com");
        shot(browser, out.resolve("certificates.png"));
        browser.page("#/audit", "Audit");
        browser.type("#view input[type=search]", "shop.example.com");
        browser.clickText("#audit-list .audit-resource", "site:shop.example.com");
        shot(browser, out.resolve("audit.png"));
        browser.click("#theme");
        browser.page("#/live", "Live");
        Harness.sleep(12_000);  // a few polls, so the charts have a line
        browser.visible("#live svg.chart");
        shot(browser, out.resolve("live-dark.png"));
      }
      try (ConsoleBrowser phone = new ConsoleBrowser(390, 844)) {
        phone.signIn(url, "admin", PASSWORD);
        phone.page("#/sites", "Sites");
        phone.withText("#sites-list", "shop.example.com");
        shot(phone, out.resolve("sites-phone.png"));
      }
      running.set(false);
      traffic.join();
    }
  }

  private static void seed(AdminClient api, String token, int backend) {
    String target = "127.0.0.1:" + backend;
    site(api, token, "shop.example.com", new JsonObject().put("tls", "manual").put("redirectHttps", true)
        .put("rateLimit", new JsonObject().put("requests", 100).put("perSeconds", 1))
        .put("hsts", new JsonObject().put("maxAge", 31536000).put("includeSubDomains", true))
        .put("requestHeaders", new JsonObject().put("set", new JsonObject().put("X-Edge", "portico"))), target);
    site(api, token, "api.example.com", new JsonObject().put("tls", "manual").put("loadBalancing", "least-pending")
        .put("retries", 2), target);
    site(api, token, "*.example.com", new JsonObject().put("tls", "off"), target);
    site(api, token, "www.example.com", new JsonObject().put("tls", "off").put("compression", true), target);
    site(api, token, "**.example.org", new JsonObject().put("tls", "off")
        .put("ipAllow", new JsonArray().add("10.0.0.0/8")), target);
    for (String name : new String[] {"shop.example.com", "api.example.com"}) {
      String[] pems = TestCertificates.pems(name);
      api.put("/api/v1/certificates/" + name, token,
          new JsonObject().put("certificatePem", pems[0]).put("privateKeyPem", pems[1]));
    }
    api.put("/api/v1/dns-providers/cloudflare-main", token, new JsonObject().put("type", "cloudflare")
        .put("domains", new JsonArray().add("example.com")).put("credentials", new JsonObject().put("apiToken", "x")));
    api.post("/api/v1/tokens", token, new JsonObject().put("name", "ci-deploy").put("scope", "write"));
  }

  private static void site(AdminClient api, String token, String pattern, JsonObject site, String target) {
    int status = api.put("/api/v1/sites/" + pattern, token, site.put("targets", new JsonArray().add(target))).status();
    if (status >= 300) {
      throw new IllegalStateException("seeding " + pattern + " answered " + status);
    }
  }

  private static void shot(ConsoleBrowser browser, Path file) throws Exception {
    Harness.sleep(300);  // let the toast fade and late rows land
    Files.write(file, browser.driver.getScreenshotAs(OutputType.BYTES));
    System.out.println("wrote " + file);
  }
}
