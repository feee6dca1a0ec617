package dev.portico.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Measures the console's first paint from a cold cache on loopback (run by
 * {@code bench/console.sh first-paint}; a measurement, not a test): a real node, headless Chromium,
 * the browser cache cleared before every load, first-contentful-paint read from the Paint Timing
 * API. Also sums the console's files as served gzipped.
 */
public final class ConsoleFirstPaint {

  private ConsoleFirstPaint() {
  }

  public static void main(String[] args) throws Exception {
    int samples = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    try (Harness harness = new Harness(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", "first paint password"));
         ConsoleBrowser browser = new ConsoleBrowser(1280, 800)) {
      String url = "http://127.0.0.1:" + harness.portico.config().adminPort() + "/";
      assetSizes(url);
      List<Double> paints = new ArrayList<>();
      List<Double> loads = new ArrayList<>();
      List<Double> documents = new ArrayList<>();
      List<Double> ready = new ArrayList<>();
      List<Double> floor = new ArrayList<>();
      for (int i = 0; i <= samples; i++) {
        browser.open("about:blank");
        browser.driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
        browser.open(url);
        browser.visible("#signin-form");
        Object paint = browser.script("const p = performance.getEntriesByName('first-contentful-paint')[0];"
            + " return p ? p.startTime : null");
        Object load = browser.script("return performance.getEntriesByType('navigation')[0].loadEventEnd");
        Object document = browser.script("return performance.getEntriesByType('navigation')[0].responseEnd");
        browser.visible("#signin-form [name=username]");
        Object signIn = browser.script("return performance.now()");
        if (i > 0 && paint != null) {  // the first load also warms the JVM's code paths: not counted
          paints.add(((Number) paint).doubleValue());
          loads.add(((Number) load).doubleValue());
          documents.add(((Number) document).doubleValue());
          ready.add(((Number) signIn).doubleValue());
          floor.add(floor(browser));
        }
      }
      System.out.printf("first contentful paint, cold cache, %d loads: %s%n", paints.size(), summary(paints));
      System.out.printf("page received (responseEnd), same loads:    %s%n", summary(documents));
      System.out.printf("load event end (all modules run):           %s%n", summary(loads));
      System.out.printf("sign-in form seen by the driver:            %s%n", summary(ready));
      System.out.printf("control: one line of HTML, no network:     %s%n", summary(floor));
    }
  }

  /**
   * The machine's floor: the first paint of one heading from a data: URL (no server, no CSS, no
   * script). On a busy machine most of the console's figure is this.
   */
  private static double floor(ConsoleBrowser browser) {
    browser.open("about:blank");
    browser.open("data:text/html,<h1>first paint</h1>");
    browser.visible("h1");
    Object paint = browser.script("const p = performance.getEntriesByName('first-contentful-paint')[0];"
        + " return p ? p.startTime : -1");
    return ((Number) paint).doubleValue();
  }

  private static String summary(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return String.format("median %.0f ms, p90 %.0f ms, min %.0f ms, max %.0f ms", sorted.get(sorted.size() / 2),
        sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.9) - 1)), sorted.get(0),
        sorted.get(sorted.size() - 1));
  }

  /** Every file the console serves, as the browser gets it (gzip) and uncompressed. */
  private static void assetSizes(String url) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String list;
    try (var in = ConsoleFirstPaint.class.getClassLoader().getResourceAsStream("console/files.txt")) {
      list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    long gzipped = 0;
    long plain = 0;
    int files = 0;
    for (String line : list.split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      String path = name.equals("index.html") ? "" : "console/" + name;
      gzipped += http.send(HttpRequest.newBuilder(URI.create(url + path)).header("Accept-Encoding", "gzip").build(),
          HttpResponse.BodyHandlers.ofByteArray()).body().length;
      plain += http.send(HttpRequest.newBuilder(URI.create(url + path)).build(),
          HttpResponse.BodyHandlers.ofByteArray()).body().length;
      files++;
    }
    System.out.printf("console assets: %d files, %.1f KB gzipped (%.1f KB uncompressed)%n", files, gzipped / 1024.0,
        plain / 1024.0);
  }
}
