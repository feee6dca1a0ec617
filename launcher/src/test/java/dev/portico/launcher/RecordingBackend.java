package dev.portico.launcher;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A backend for the bad-input suite that records exactly what it receives, two ways: the raw
 * bytes of every connection (a TCP tap in front), and every request a real HTTP/1.1 server
 * (Vert.x's, behind the tap) parsed out of them. A request smuggled past the edge shows as an
 * extra parsed request and as its bytes; a header line injected into another shows in both.
 * Each request is answered 200 with the body {@code ok <n>}.
 */
final class RecordingBackend implements AutoCloseable {

  /**
   * One request as the backend's HTTP server parsed it; {@code complete} is false when its body
   * failed (the connection was reset or closed before the body ended): the backend never ran it.
   * {@code client}: the connection's peer, or with a PROXY protocol header the address it named.
   */
  record Received(String method, String uri, List<Map.Entry<String, String>> headers, String body, boolean complete,
      String client) {

    /** The values of the header {@code name} (case-insensitive), in order. */
    List<String> header(String name) {
      return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
    }
  }

  private final HttpServer server;
  private final NetServer tap;
  private final NetClient client;
  private final List<Received> requests = new ArrayList<>();
  private final StringBuilder raw = new StringBuilder();

  RecordingBackend(Vertx vertx) {
    this(vertx, false);
  }

  /** With {@code proxyProtocol}, the HTTP server expects a PROXY protocol header first on every connection (Vert.x's own reader). */
  RecordingBackend(Vertx vertx, boolean proxyProtocol) {
    server = Harness.await(vertx.createHttpServer(new HttpServerOptions().setUseProxyProtocol(proxyProtocol))
        .requestHandler(this::answer).listen(0, "127.0.0.1"));
    client = vertx.createNetClient();
    int serverPort = server.actualPort();
    tap = Harness.await(vertx.createNetServer().connectHandler(in -> {
      in.pause();
      client.connect(serverPort, "127.0.0.1").onComplete(ar -> {
        if (ar.failed()) {
          in.close();
          return;
        }
        var out = ar.result();
        in.handler(bytes -> {
          synchronized (this) {
            raw.append(bytes.toString(StandardCharsets.ISO_8859_1));
          }
          out.write(bytes);
        });
        out.handler(in::write);
        in.closeHandler(v -> out.close());
        out.closeHandler(v -> in.close());
        in.resume();
      });
    }).listen(0, "127.0.0.1"));
  }

  private void answer(HttpServerRequest request) {
    request.body().onComplete(ar -> {
      Buffer body = ar.succeeded() ? ar.result() : Buffer.buffer();
      int count;
      synchronized (this) {
        requests.add(new Received(request.method().name(), request.uri(), List.copyOf(request.headers().entries()),
            body.toString(StandardCharsets.ISO_8859_1), ar.succeeded(), request.remoteAddress().hostAddress()));
        count = requests.size();
      }
      request.response().end("ok " + count);
    });
  }

  /** The port the edge's site should target (the tap). */
  int port() {
    return tap.actualPort();
  }

  synchronized List<Received> requests() {
    return List.copyOf(requests);
  }

  /** Every byte received so far, all connections in arrival order, as ISO-8859-1 text. */
  synchronized String raw() {
    return raw.toString();
  }

  synchronized void clear() {
    requests.clear();
    raw.setLength(0);
  }

  @Override
  public void close() {
    Harness.await(tap.close());
    Harness.await(server.close());
    Harness.await(client.close());
  }
}
