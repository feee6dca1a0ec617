package dev.portico.launcher;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code PORTICO_TRANSPORT}: every transport carries the edge's client and backend connections,
 * the node says which one it runs on, and where the chosen one cannot start the node falls back
 * (io_uring to epoll to NIO) with one line saying why.
 */
class TransportTest {

  @ParameterizedTest
  @ValueSource(strings = {"io_uring", "epoll", "nio"})
  void eachTransportProxiesRequestsAndIsNamedAtStart(String transport) throws IOException {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger portico = (Logger) LoggerFactory.getLogger(Portico.class);
    portico.addAppender(logs);
    try (Harness node = new Harness(Map.of("PORTICO_TRANSPORT", transport))) {
      node.putSite("transport.test", node.namedBackend("backend"));
      for (int i = 0; i < 3; i++) {  // the first opens the backend connection, the others reuse it
        HttpResponse<String> response = node.get("transport.test", "/n" + i);
        assertEquals(200, response.statusCode());
        assertTrue(response.body().startsWith("backend\nGET /n" + i + "\n"), response.body());
      }
    } finally {
      portico.detachAppender(logs);
    }
    assertTrue(logs.list.stream().anyMatch(event -> event.getFormattedMessage().contains("serving roles")
        && event.getFormattedMessage().contains(", " + transport + " transport)")), logs.list.toString());
  }

  @Test
  void anUnknownTransportIsNamed() {
    Map<String, String> env = Harness.listenersOnFreePorts();
    env.put("PORTICO_TRANSPORT", "uring");
    assertEquals("PORTICO_TRANSPORT='uring' must be io_uring, epoll or nio",
        assertThrows(ConfigException.class, () -> PorticoConfig.fromEnvironment(env)).getMessage());
  }

  /** Unset, the node runs on io_uring (this machine has it), without a word about falling back. */
  @Test
  void theDefaultIsIoUring() throws Exception {
    List<String> startUp = startAndServe(System.getProperty("java.class.path"));
    assertEquals(List.of(), fallbackLines(startUp));
    assertTrue(startUp.stream().anyMatch(line -> line.contains(", io_uring transport)")), String.join("\n", startUp));
  }

  /** io_uring asked for where it cannot start: epoll, and one line saying why. */
  @Test
  void ioUringThatCannotStartFallsBackToEpoll() throws Exception {
    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.contains("io_uring")).collect(Collectors.joining(File.pathSeparator));
    List<String> startUp = startOnTransport("io_uring", classPath);
    assertEquals(List.of("The io_uring transport cannot start here (its Netty library is not on the class path): "
        + "using epoll (PORTICO_TRANSPORT)"), fallbackLines(startUp));
    assertTrue(startUp.stream().anyMatch(line -> line.contains(", epoll transport)")), String.join("\n", startUp));
  }

  /** io_uring asked for with Netty's native transports switched off: both it and epoll are passed over for NIO. */
  @Test
  void withoutNativeTransportsTheNodeRunsOnNio() throws Exception {
    List<String> startUp = startOnTransport("io_uring", System.getProperty("java.class.path"),
        "-Dio.netty.transport.noNative=true");
    assertEquals(List.of("The io_uring transport cannot start here (Native transport was explicit disabled with "
        + "-Dio.netty.transport.noNative=true): using nio (PORTICO_TRANSPORT)"), fallbackLines(startUp));
    assertTrue(startUp.stream().anyMatch(line -> line.contains(", nio transport)")), String.join("\n", startUp));
  }

  private static List<String> fallbackLines(List<String> log) {
    return log.stream().filter(line -> line.contains("transport cannot start"))
        .map(line -> line.substring(line.indexOf("The "))).toList();
  }

  /**
   * Starts a node (edge and lookup, the default transport) in a JVM of its own, waits until it
   * serves, checks that its edge answers, and returns its log up to then.
   */
  private static List<String> startAndServe(String classPath, String... jvmFlags) throws Exception {
    return startOnTransport(null, classPath, jvmFlags);
  }

  /** The same with {@code PORTICO_TRANSPORT=transport} (null: unset). */
  private static List<String> startOnTransport(String transport, String classPath, String... jvmFlags)
      throws Exception {
    Path dataDir = Files.createTempDirectory("portico-transport");
    Path log = dataDir.resolve("node.log");
    int redisPort = Harness.freePort();
    Map<String, String> env = Harness.listenersOnFreePorts();
    // the test's own Redis, so killing the node leaves no redis-server behind
    env.put("PORTICO_REDIS_URL", "redis://127.0.0.1:" + redisPort);
    env.put("PORTICO_SECRET_KEY", Harness.SECRET_KEY);
    env.put("PORTICO_ROLES", "edge,lookup");
    env.put("PORTICO_EDGE_INSTANCES", "1");
    if (transport != null) {
      env.put("PORTICO_TRANSPORT", transport);
    }
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath));
    command.addAll(List.of(jvmFlags));
    command.add(Main.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    builder.environment().keySet().removeIf(key -> key.startsWith("PORTICO_"));
    builder.environment().putAll(env);
    try (EmbeddedRedis redis = EmbeddedRedis.start(dataDir, redisPort)) {
      return serve(builder.start(), log, env.get("PORTICO_HTTP_PORT"));
    }
  }

  private static List<String> serve(Process node, Path log, String httpPort) throws Exception {
    try {
      Harness.waitFor(() -> !node.isAlive() || read(log).stream().anyMatch(line -> line.contains("serving roles")),
          60_000);
      assertTrue(node.isAlive(), "the node exited:\n" + String.join("\n", read(log)));
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + httpPort + "/")).header("Host", "unknown.test")
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(404, unknown.statusCode(), unknown.body());
      return read(log);
    } finally {
      node.destroyForcibly();
      node.waitFor();
    }
  }

  private static List<String> read(Path log) {
    try {
      return Files.readAllLines(log);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
