package dev.portico.launcher;

import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WebSockets through the edge, and proof that a site change never drops them. */
class WebSocketProxyTest {

  private static Harness harness;
  private static WebSocketClient client;
  private static int echo;

  @BeforeAll
  static void start() throws IOException {
    harness = new Harness();
    echo = Harness.await(harness.testVertx.createHttpServer()
        .webSocketHandler(ws -> ws.textMessageHandler(text -> ws.writeTextMessage("echo: " + text)))
        .requestHandler(request -> request.response().setStatusCode(426).end("upgrade required"))
        .listen(0, "127.0.0.1")).actualPort();
    harness.putSite("ws.example.com", echo);
    harness.putSite("other.example.com", harness.namedBackend("other"));
    harness.putSite("headers.ws.example.com", "{\"targets\":[\"127.0.0.1:" + echo + "\"],"
        + "\"responseHeaders\":{\"set\":{\"X-Frame-Options\":\"DENY\"}},\"hsts\":{\"maxAge\":600},\"tls\":\"manual\",\"redirectHttps\":false}");
    client = harness.testVertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static WebSocket connect(String host) {
    return Harness.await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(harness.httpPort()).setURI("/socket").addHeader("Host", host)));
  }

  @Test
  void echoesThroughTheProxyAndSurvivesSiteChanges() throws InterruptedException {
    WebSocket socket = connect("ws.example.com");
    BlockingQueue<String> received = new ArrayBlockingQueue<>(10);
    AtomicBoolean closed = new AtomicBoolean();
    socket.textMessageHandler(received::add);
    socket.closeHandler(v -> closed.set(true));

    socket.writeTextMessage("hello");
    assertEquals("echo: hello", received.poll(5, TimeUnit.SECONDS));

    // other sites change, this site changes (same backend), all while the socket is open
    harness.putSite("other.example.com", harness.namedBackend("other2"));
    harness.putSite("new.example.com", harness.namedBackend("new"));
    harness.putSite("ws.example.com", "{\"targets\":[\"127.0.0.1:" + echo + "\"],\"readTimeoutMs\":1000}");
    Harness.waitFor(() -> harness.get("new.example.com", "/").statusCode() == 200, 2000);
    Thread.sleep(1500);                                     // past the site's new read timeout, too

    socket.writeTextMessage("still there");
    assertEquals("echo: still there", received.poll(5, TimeUnit.SECONDS));
    assertFalse(closed.get());
    Harness.await(socket.close());
  }

  /** A WebSocket's 101 goes out through the site's response filters like any response: header rules, and HSTS over HTTPS. */
  @Test
  void theSwitchingResponseCarriesTheSitesResponseHeaders() throws InterruptedException {
    WebSocketClient tlsClient = harness.testVertx.createWebSocketClient(
        new WebSocketClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
    for (boolean https : new boolean[] {false, true}) {
      WebSocket socket = Harness.await((https ? tlsClient : client).connect(new WebSocketConnectOptions()
          .setHost("127.0.0.1").setPort(https ? harness.httpsPort() : harness.httpPort()).setSsl(https)
          .setURI("/socket").addHeader("Host", "headers.ws.example.com")));
      assertEquals("DENY", socket.headers().get("X-Frame-Options"), "https: " + https);
      assertEquals(https ? "max-age=600" : null, socket.headers().get("Strict-Transport-Security"), "https: " + https);
      BlockingQueue<String> received = new ArrayBlockingQueue<>(10);
      socket.textMessageHandler(received::add);
      socket.writeTextMessage("through");
      assertEquals("echo: through", received.poll(5, TimeUnit.SECONDS));
      Harness.await(socket.close());
    }
  }

  @Test
  void refusedUpgradeIsRelayed() {
    var response = harness.get("ws.example.com", "/plain");
    assertEquals(426, response.statusCode());
    assertTrue(response.body().contains("upgrade required"));
  }
}
