package dev.portico.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real redis-server (the binary bundled in {@code embedded-redis}) for nodes configured without
 * a Redis: bound to 127.0.0.1, persisting with AOF under the data directory, with keyspace
 * notifications on. A JVM killed with SIGKILL leaves its redis-server behind; the pidfile lets the
 * next start stop it.
 */
final class EmbeddedRedis implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);

  private final RedisServer server;
  private final int port;

  private EmbeddedRedis(RedisServer server, int port) {
    this.server = server;
    this.port = port;
  }

  static EmbeddedRedis start(Path dataDir, int port) {
    Path dir = dataDir.toAbsolutePath().normalize();
    Path pidFile = dir.resolve("redis.pid");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ConfigException("PORTICO_DATA_DIR " + dir + " cannot be created: " + e.getMessage(), e);
    }
    stopLeftover(pidFile);
    try {
      RedisServer server = RedisServer.newRedisServer()
          .bind("127.0.0.1")
          .port(port)
          .setting("dir \"" + dir + "\"")
          .setting("pidfile \"" + pidFile + "\"")
          .setting("appendonly yes")
          .setting("appendfsync everysec")
          .setting("save \"\"")
          .setting("notify-keyspace-events K$gx")
          .build();
      server.start();
      LOG.info("Embedded Redis listening on 127.0.0.1:{}, data in {}", port, dir);
      return new EmbeddedRedis(server, port);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("the embedded Redis could not start on 127.0.0.1:" + port
          + " (port in use? set PORTICO_EMBEDDED_REDIS_PORT or PORTICO_REDIS_URL): " + e.getMessage(), e);
    }
  }

  /** Stops a redis-server that a previous run left behind in this data directory. */
  private static void stopLeftover(Path pidFile) {
    try {
      if (!Files.exists(pidFile)) {
        return;
      }
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      ProcessHandle.of(pid)
          .filter(process -> process.info().command().map(command -> command.contains("redis-server")).orElse(false))
          .ifPresent(process -> {
            LOG.warn("Stopping the embedded Redis (pid {}) left behind by a previous run", pid);
            process.destroy();
            process.onExit().orTimeout(Duration.ofSeconds(10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .exceptionally(e -> null).join();
          });
    } catch (IOException | NumberFormatException e) {
      LOG.debug("Ignoring unreadable Redis pidfile {}: {}", pidFile, e.getMessage());
    }
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (IOException e) {
      LOG.warn("Embedded Redis did not stop cleanly: {}", e.getMessage());
    }
  }
}
