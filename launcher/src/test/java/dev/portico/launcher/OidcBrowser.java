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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a browser does in the OIDC tests: keeps cookies per host name (and, as browsers do for a
 * loopback address, a secure context: Keycloak's {@code Secure} cookies go back over plain HTTP),
 * follows nothing by itself, fills in Keycloak's login form. A host under {@code .test} (a site on
 * the edge) is reached at 127.0.0.1 on the URL's port with the URL's host as {@code Host}, so the
 * cookies the edge sets are kept for that host name, as a browser keeps them.
 */
final class OidcBrowser {

  private static final Pattern LOGIN_FORM = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*>");
  private static final Pattern ACTION = Pattern.compile("action=\"([^\"]+)\"");

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
  private final CookieManager jar = new CookieManager();
  /** The callback URL of the last sign-in. */
  String lastCallback;

  HttpResponse<String> get(String url, String... headers) throws Exception {
    return send(url, "GET", null, headers);
  }

  /** POSTs an empty form to {@code url}, as a form's button does. */
  HttpResponse<String> post(String url, String... headers) throws Exception {
    return send(url, "POST", "", headers);
  }

  /** GETs {@code url} and follows up to ten redirects; the last answer. */
  HttpResponse<String> follow(String url, String... headers) throws Exception {
    HttpResponse<String> answer = get(url, headers);
    for (int hop = 0; answer.statusCode() / 100 == 3 && hop < 10; hop++) {
      url = URI.create(url).resolve(answer.headers().firstValue("Location").orElseThrow()).toString();
      answer = get(url, headers);
    }
    return answer;
  }

  /** Keeps a cookie for {@code url}'s host, as if a page of the site had set it. */
  void addCookie(String url, String name, String value) {
    java.net.HttpCookie cookie = new java.net.HttpCookie(name, value);
    cookie.setPath("/");
    cookie.setVersion(0);
    jar.getCookieStore().add(URI.create(url), cookie);
  }

  /**
   * The {@code Cookie} field a browser sends to {@code uri}: {@code name=value} pairs (RFC 6265),
   * not the JDK's RFC 2965 form, which it uses for any cookie with {@code Max-Age}.
   */
  private String cookieHeader(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return jar.getCookieStore().get(uri).stream()
        .filter(cookie -> cookie.getPath() == null || path.startsWith(cookie.getPath()))
        .map(cookie -> cookie.getName() + "=" + cookie.getValue())
        .collect(java.util.stream.Collectors.joining("; "));
  }

  private HttpResponse<String> send(String url, String method, String form, String... headers) throws Exception {
    URI uri = URI.create(url);
    boolean site = uri.getHost().endsWith(".test");
    URI target = !site ? uri : URI.create("http://127.0.0.1:" + uri.getPort() + uri.getRawPath()
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
        .method(method, form == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form));
    if (site) {
      request.header("Host", uri.getRawAuthority());
    }
    if (form != null) {
      request.header("Content-Type", "application/x-www-form-urlencoded");
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    String cookies = cookieHeader(uri);
    if (!cookies.isEmpty()) {
      request.header("Cookie", cookies);
    }
    HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    Map<String, List<String>> plain = new HashMap<>();
    answer.headers().map().forEach((name, values) -> plain.put(name, name.equalsIgnoreCase("Set-Cookie")
        ? values.stream().map(value -> value.replaceAll("(?i);\\s*Secure(?=;|$)", "")).toList() : values));
    jar.put(uri, plain);
    return answer;
  }

  /**
   * Starts at {@code start}, follows redirects to Keycloak's login form and signs in there;
   * returns the callback URL Keycloak sends the browser to.
   */
  String signInAt(String start, String username, String password, String... headers) throws Exception {
    String url = start;
    HttpResponse<String> page = get(url, headers);
    for (int hop = 0; page.statusCode() / 100 == 3 && hop < 5; hop++) {
      url = URI.create(url).resolve(page.headers().firstValue("Location").orElseThrow()).toString();
      page = get(url, headers);
    }
    assertEquals(200, page.statusCode(), page.body());
    Matcher form = LOGIN_FORM.matcher(page.body());
    assertTrue(form.find(), "Keycloak's login form: " + page.body());
    Matcher action = ACTION.matcher(form.group());
    assertTrue(action.find(), form.group());
    String body = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
        + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&credentialId=";
    HttpResponse<String> posted = send(action.group(1).replace("&amp;", "&"), "POST", body);
    assertEquals(302, posted.statusCode(), posted.body());
    lastCallback = posted.headers().firstValue("Location").orElseThrow();
    assertTrue(lastCallback.contains("state="), lastCallback);
    return lastCallback;
  }

  /** The value of the query parameter {@code name} in {@code url}. */
  static String query(String url, String name) {
    for (String pair : URI.create(url).getRawQuery().split("&")) {
      if (pair.startsWith(name + "=")) {
        return pair.substring(name.length() + 1);
      }
    }
    throw new AssertionError("no " + name + " in " + url);
  }
}
