package dev.portico.edge.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A handler that throws, at once or in a later callback, still answers: 500, never a hang. */
class FailSafeTest {

  private static Vertx vertx;
  private static HttpServer server;
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();  // no h2c upgrade: see the launcher's AdminClient

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(FailSafe.requests(request -> {
      if (request.path().equals("/now")) {
        throw new IllegalStateException("a bug in the handler");
      }
      request.pause();
      vertx.setTimer(10, id -> FailSafe.<Long>guard(request, tick -> {
        request.response().putHeader("Content-Length", "99");  // a half-built response, then the bug
        throw new IllegalStateException("a bug in a callback");
      }).handle(id));
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anExceptionInTheHandlerAnswers500() throws Exception {
    HttpResponse<String> response = get("/now");
    assertEquals(500, response.statusCode());
    assertTrue(response.body().contains("internal error"), response.body());
  }

  @Test
  void anExceptionInALaterCallbackAnswers500WithItsOwnFraming() throws Exception {
    HttpResponse<String> response = get("/later");
    assertEquals(500, response.statusCode());
    assertTrue(response.body().contains("internal error"), response.body());
  }
}
