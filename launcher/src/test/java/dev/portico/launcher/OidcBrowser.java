package dev.portico.launcher;

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
 * What a browser does in an OIDC sign-in, for tests without a real one: keeps cookies (and, as
 * browsers do for 127.0.0.1, a secure context, sends Keycloak's {@code Secure} cookies over plain
 * HTTP), follows nothing by itself, fills in Keycloak's login form.
 */
final class OidcBrowser {

  private static final Pattern LOGIN_FORM = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*>");
  private static final Pattern ACTION = Pattern.compile("action=\"([^\"]+)\"");

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

  static String query(String url, String name) {
    for (String pair : URI.create(url).getRawQuery().split("&")) {
      if (pair.startsWith(name + "=")) {
        return pair.substring(name.length() + 1);
      }
    }
    throw new AssertionError("no " + name + " in " + url);
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
