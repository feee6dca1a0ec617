package dev.portico.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Portico node in its own JVM, started from the shaded jar ({@code java -jar portico.jar}) with
 * its own free ports; its output goes to {@code target/cluster-it/<name>.log}.
 */
final class PorticoProcess implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  final String name;
  final int clusterPort = Harness.freePort();
  final int httpPort = Harness.freePort();
  final int adminPort = Harness.freePort();
  final int opsPort = Harness.freePort();
  final Path log;
  private final Map<String, String> env = new HashMap<>();
  private Process process;

  PorticoProcess(String name, String roles, Path logDir) {
    this.name = name;
    this.log = logDir.resolve(name + ".log");
    env.put("PORTICO_ROLES", roles);
    env.put("PORTICO_BIND", "127.0.0.1");
    env.put("PORTICO_HTTP_PORT", Integer.toString(httpPort));
    env.put("PORTICO_HTTPS_PORT", Integer.toString(Harness.freePort()));
    env.put("PORTICO_ADMIN_PORT", Integer.toString(adminPort));
    env.put("PORTICO_OPS_PORT", Integer.toString(opsPort));
    env.put("PORTICO_EDGE_INSTANCES", "1");
    env.put("PORTICO_CLUSTER", "on");
    env.put("PORTICO_CLUSTER_HOST", "127.0.0.1");
    env.put("PORTICO_CLUSTER_PORT", Integer.toString(clusterPort));
  }

  PorticoProcess env(Map<String, String> values) {
    env.putAll(values);
    return this;
  }

  PorticoProcess start() throws IOException {
    Path jar = Path.of(System.getProperty("portico.jar", "target/portico.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError("no " + jar + ": run through `mvn verify`, which builds the shaded jar first");
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        // Join as soon as the listed members answer instead of waiting for more to appear.
        "-Dhazelcast.wait.seconds.before.join=0",
        "-Dhazelcast.max.wait.seconds.before.join=1",
        "-jar", jar.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(key -> key.startsWith("PORTICO_"));
    builder.environment().putAll(env);
    process = builder.start();
    // an interrupted test run (Ctrl-C) must not leave cluster members behind
    Process started = process;
    Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
    return this;
  }

  /** Waits until the ops port says the node is ready; fails with the node's log tail if it dies. */
  PorticoProcess awaitReady(long timeoutMs) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + "; the end of " + log + ":\n" + logTail());
      }
      if (opsStatus("/health/ready") == 200) {
        return this;
      }
      Harness.sleep(100);
    }
    throw new AssertionError(name + " not ready within " + timeoutMs + " ms; the end of " + log + ":\n" + logTail());
  }

  /** The last lines of the node's output: what a failed CI run shows of why a node did not start. */
  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  /** The status of {@code GET path} on the ops port, or -1 when it does not answer. */
  int opsStatus(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + path))
          .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  String member() {
    return "127.0.0.1:" + clusterPort;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no goodbye to the cluster. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }


  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      kill();
    }
  }
}
