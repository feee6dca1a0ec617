package dev.portico.launcher;

import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
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

  @Test
  void refusedUpgradeIsRelayed() {
    var response = harness.get("ws.example.com", "/plain");
    assertEquals(426, response.statusCode());
    assertTrue(response.body().contains("upgrade required"));
  }
}
