package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Sites for the edge's bad-input tests: each targets one {@link RecordingBackend}, so that a
 * refused request can be shown to have reached nothing.
 */
final class RecordedSites implements AutoCloseable {

  final Harness harness;
  final RecordingBackend backend;

  RecordedSites(Harness harness) {
    this.harness = harness;
    this.backend = new RecordingBackend(harness.testVertx);
  }

  /** Stores a site (as the operator: no owner) targeting the recording backend and waits until the edge serves it. */
  void site(String pattern, JsonObject site) {
    storedSite(pattern, site.copy().put("targets", new JsonArray().add("127.0.0.1:" + backend.port())));
  }

  /** Stores {@code site} in Redis as it is and waits until the edge serves it. */
  void storedSite(String pattern, JsonObject site) {
    harness.putSite(pattern, site.encode());
    Harness.waitFor(() -> get(pattern, "/", Map.of()).statusCode() != 404, 5_000);
    backend.clear();
  }

  HttpResponse<String> get(String host, String path, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.httpPort() + path))
        .header("Host", host).timeout(Duration.ofSeconds(20));
    headers.forEach(request::header);
    return harness.send(request.build());
  }

  /** {@code response} has {@code status}, and not a byte reached the backend. */
  void assertRefused(int status, HttpResponse<String> response) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals(List.of(), backend.requests(), "the backend received nothing");
    assertEquals("", backend.raw(), "not a byte reached the backend");
  }

  @Override
  public void close() {
    backend.close();
  }
}
