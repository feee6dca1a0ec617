package dev.portico.edge.upstream.pool;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A backend that speaks raw bytes: it records what each connection sent and lets the test decide
 * what to answer (or not) once a connection's bytes contain {@code complete}.
 */
final class RawBackend implements AutoCloseable {

  final List<String> received = new CopyOnWriteArrayList<>();
  private final NetServer server;

  /** {@code answer} gets the socket and the number of requests completed on it so far (1 for the first). */
  RawBackend(Vertx vertx, String complete, BiConsumer<NetSocket, Integer> answer) throws Exception {
    server = vertx.createNetServer().connectHandler(socket -> {
      StringBuilder bytes = new StringBuilder();
      int[] requests = {0};
      socket.handler(chunk -> {
        bytes.append(chunk.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
        int end;
        while ((end = bytes.indexOf(complete)) >= 0) {
          received.add(bytes.substring(0, end + complete.length()));
          bytes.delete(0, end + complete.length());
          answer.accept(socket, ++requests[0]);
        }
      });
    });
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  int port() {
    return server.actualPort();
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
