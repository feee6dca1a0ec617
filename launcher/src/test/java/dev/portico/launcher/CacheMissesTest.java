package dev.portico.launcher;

import dev.portico.edge.cache.CacheNode;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The misses a cached site's requests lead are let go however the exchange ends — a WebSocket
 * tunnel, a 413 from the edge — so the node's table of misses under way stays empty between
 * requests and no later request waits for a miss nobody will end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CacheMissesTest {

  private static final String SITE = "misses.example.net";

  private Harness harness;
  private HttpServer backend;
  private CacheNode node;
  private final AtomicInteger handshakes = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeAll
  void start() throws IOException {
    harness = new Harness();
    backend = Harness.await(harness.testVertx.createHttpServer()
        .webSocketHandler(ws -> {
          int n = handshakes.incrementAndGet();
          ws.textMessageHandler(text -> ws.writeTextMessage(text + " " + n));
        })
        .requestHandler(request -> request.response().putHeader("Cache-Control", "max-age=300")
            .end("response " + requests.incrementAndGet()))
        .listen(0, "127.0.0.1"));
    harness.putSite(SITE, "{\"targets\":[\"127.0.0.1:" + backend.actualPort() + "\"],\"maxBodyBytes\":16,"
        + "\"cache\":{\"maxObjectBytes\":65536}}");
    Harness.waitFor(() -> harness.get(SITE, "/warm-up").statusCode() == 200, 5_000);
    node = CacheNode.of(harness.portico.vertx(), 0);  // the node's own (the first verticle made it)
  }

  @AfterAll
  void stop() {
    harness.close();
  }

  /** Opens a WebSocket through the edge and returns the backend's answer to "socket". */
  private String handshake(String path) throws InterruptedException {
    WebSocket socket = Harness.await(harness.testVertx.createWebSocketClient().connect(new WebSocketConnectOptions()
        .setHost("127.0.0.1").setPort(harness.httpPort()).setURI(path).addHeader("Host", SITE)));
    BlockingQueue<String> received = new ArrayBlockingQueue<>(4);
    socket.textMessageHandler(received::add);
    socket.writeTextMessage("socket");
    String answer = received.poll(20, TimeUnit.SECONDS);
    Harness.await(socket.close());
    return answer;
  }

  @Test
  void webSocketHandshakesOnOneUrlLeaveNoMissBehind() throws InterruptedException {
    int before = handshakes.get();
    assertEquals("socket " + (before + 1), handshake("/chat"));
    Harness.waitFor(() -> node.missesUnderWay() == 0, 10_000);
    assertEquals("socket " + (before + 2), handshake("/chat"), "the second handshake waits for nothing");
  }

  @Test
  void aRequestRefused413LeavesNoMissBehind() throws Exception {
    HttpRequest tooLarge = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.httpPort() + "/upload"))
        .header("Host", SITE).timeout(Duration.ofSeconds(20))
        .method("GET", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[4096])))
        .build();
    try {
      assertEquals(413, harness.http.send(tooLarge, HttpResponse.BodyHandlers.ofString()).statusCode());
    } catch (IOException cut) {
      // the edge may close the connection while the body is still being sent: the 413 is then unseen
    }
    Harness.waitFor(() -> node.missesUnderWay() == 0, 10_000);
    HttpResponse<String> after = harness.get(SITE, "/upload");
    assertEquals(200, after.statusCode());
    assertEquals("MISS", after.headers().firstValue("X-Cache").orElse(null));
  }
}
