package dev.portico.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real {@code redis-server} processes (Debian's {@code /usr/bin/redis-server}) on 127.0.0.1 and
 * free ports: masters, replicas, Sentinels with lowered timings, and servers that refuse
 * {@code CONFIG} as managed ones do. Every process is stopped, and its files deleted, on {@link #close}.
 */
final class RedisServers implements AutoCloseable {

  static final String BINARY = "/usr/bin/redis-server";
  static final String MASTER_NAME = "portico";

  /** One running server. */
  record Server(int port, Process process) {
    String url() {
      return "redis://127.0.0.1:" + port;
    }

    /** Sends a signal ({@code STOP}, {@code CONT}) with kill(1). */
    void signal(String name) {
      try {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
      } catch (IOException e) {
        throw new AssertionError(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** SIGKILL: the server gets no chance to tell anyone. */
    void kill() {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private final Path dir;
  private final List<Server> servers = new ArrayList<>();

  RedisServers() throws IOException {
    dir = Files.createTempDirectory("portico-redis");
  }

  /** A server of its own, with {@code extra} arguments ({@code --replicaof 127.0.0.1 6379}, ...). */
  Server server(String... extra) {
    int port = Harness.freePort();
    List<String> command = new ArrayList<>(List.of(BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--dbfilename", "dump-" + port + ".rdb",
        "--repl-ping-replica-period", "1"));
    command.addAll(List.of(extra));
    return started(command, port);
  }

  Server replicaOf(Server master, String... extra) {
    List<String> arguments = new ArrayList<>(List.of("--replicaof", "127.0.0.1", Integer.toString(master.port())));
    arguments.addAll(List.of(extra));
    return server(arguments.toArray(String[]::new));
  }

  /** A Sentinel watching {@code master} (quorum 2), declaring it down after a second of silence. */
  Server sentinel(Server master) throws IOException {
    int port = Harness.freePort();
    Path config = dir.resolve("sentinel-" + port + ".conf");
    Files.writeString(config, String.join("\n",
        "port " + port,
        "bind 127.0.0.1",
        "dir " + dir,
        "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 2",
        "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
        "sentinel failover-timeout " + MASTER_NAME + " 5000",
        "sentinel parallel-syncs " + MASTER_NAME + " 2", ""));
    return started(List.of(BINARY, config.toString(), "--sentinel"), port);
  }

  private Server started(List<String> command, int port) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start();
      Server server = new Server(port, process);
      servers.add(server);
      Harness.waitFor(() -> answers(port), 10_000);
      return server;
    } catch (IOException e) {
      throw new AssertionError("cannot start " + command + ": " + e, e);
    }
  }

  private static boolean answers(int port) {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(1000);
      socket.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] answer = new byte[64];
      int n = socket.getInputStream().read(answer);
      return n > 0 && answer[0] == '+';
    } catch (IOException notYet) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    servers.forEach(Server::kill);
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
