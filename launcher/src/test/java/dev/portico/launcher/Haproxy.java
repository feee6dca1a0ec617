package dev.portico.launcher;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code haproxy} (2.6), run in the foreground with a configuration the test writes,
 * listening on 127.0.0.1 only; stopped (and waited for) on close.
 */
final class Haproxy implements AutoCloseable {

  private static final String BINARY = "/usr/sbin/haproxy";
  private final Process process;
  private final Path config;

  /**
   * Starts haproxy with {@code sections} (frontends, backends, listens) after TCP-mode defaults,
   * and waits until every port in {@code ports} accepts connections.
   */
  Haproxy(String sections, List<Integer> ports) throws IOException {
    config = Files.createTempFile("portico-haproxy", ".cfg");
    Files.writeString(config, """
        global
          maxconn 200
        defaults
          mode tcp
          timeout connect 5s
          timeout client 30s
          timeout server 30s
        """ + sections);
    process = new ProcessBuilder(BINARY, "-db", "-f", config.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    for (int port : ports) {
      Harness.waitFor(() -> accepts(port), 20_000);
    }
  }

  private boolean accepts(int port) {
    if (!process.isAlive()) {
      throw new AssertionError("haproxy exited with " + process.exitValue() + " for its configuration:\n" + config);
    }
    try (Socket probe = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(config);
  }
}
