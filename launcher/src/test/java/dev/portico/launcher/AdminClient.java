package dev.portico.launcher;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls the admin API the way a script would: JSON over HTTP with a bearer token. */
final class AdminClient {

  /**
   * HTTP/1.1, as every test client here: over plain HTTP, JDK 17's client asks to upgrade each new
   * connection to HTTP/2 (h2c), and up to one such upgrade in 17 (io_uring; fewer on epoll) never
   * completes although the server sent the whole answer (captured: SETTINGS, HEADERS, DATA with
   * END_STREAM); its request timeout no longer applies once headers arrived, so the call waits for
   * the server's idle close.
   */
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;

  AdminClient(int port) {
    this.port = port;
  }

  /** An answer: status, headers and body text, with the body as JSON when it is JSON. */
  record Answer(int status, HttpResponse<String> response) {

    JsonObject json() {
      return new JsonObject(response.body());
    }

    String body() {
      return response.body();
    }

    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }
  }

  Answer call(String method, String path, String token, Object body) {
    return call(method, path, token, body == null ? null : body.toString(), "application/json");
  }

  Answer call(String method, String path, String token, String body, String contentType) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null && contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response);
    } catch (Exception e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    }
  }

  Answer get(String path, String token) {
    return call("GET", path, token, null);
  }

  Answer put(String path, String token, JsonObject body) {
    return call("PUT", path, token, body);
  }

  Answer post(String path, String token, JsonObject body) {
    return call("POST", path, token, body);
  }

  Answer delete(String path, String token) {
    return call("DELETE", path, token, null);
  }

  /** Signs in and returns the JWT. */
  String login(String username, String password) {
    Answer answer = post("/api/v1/auth/login", null, new JsonObject().put("username", username).put("password", password));
    if (answer.status() != 200) {
      throw new AssertionError("login as " + username + " answered " + answer.status() + " " + answer.body());
    }
    return answer.json().getString("token");
  }
}
