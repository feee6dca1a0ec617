package dev.portico.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Keycloak (the server distribution Maven unpacks into {@code target/keycloak}) on
 * 127.0.0.1 over plain HTTP with its file database, with the realm {@code portico} imported from
 * {@code keycloak/portico-realm.json} in the test resources. The distribution is built
 * ({@code kc.sh build}, Quarkus' augmentation: the slow part) once per unpacked copy, then every
 * start is {@code kc.sh start --optimized}. Keycloak needs Java 21 or later:
 * {@code KEYCLOAK_JAVA_HOME}, else the newest JDK under {@code /usr/lib/jvm} that has one.
 */
final class KeycloakServer implements AutoCloseable {

  static final String REALM = "portico";
  /** The master realm's administrator, for tests that change the realm while it runs (key rotation). */
  private static final String ADMIN = "kc-admin";
  private static final String ADMIN_PASSWORD = "kc-admin-password";
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

  private final Process process;
  private final Path log;
  final int port;
  private int rotations;

  private KeycloakServer(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  String issuer() {
    return "http://127.0.0.1:" + port + "/realms/" + REALM;
  }

  static KeycloakServer start() throws Exception {
    Path home = Path.of(System.getProperty("keycloak.home", "target/keycloak/keycloak-26.7.3")).toAbsolutePath();
    if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
      throw new AssertionError("no Keycloak at " + home + ": `mvn verify` unpacks it (maven-dependency-plugin)");
    }
    Path imports = Files.createDirectories(home.resolve("data/import"));
    try (var realm = KeycloakServer.class.getResourceAsStream("/keycloak/portico-realm.json")) {
      Files.write(imports.resolve("portico-realm.json"), realm.readAllBytes());
    }
    Path log = Files.createTempFile("keycloak", ".log");
    Path built = home.resolve("data/portico-built");
    if (!Files.exists(built)) {
      Process build = kc(home, log, "build").start();
      if (!build.waitFor(BUILD_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS) || build.exitValue() != 0) {
        build.destroyForcibly();
        throw new AssertionError("kc.sh build failed: " + tail(log));
      }
      Files.createFile(built);
    }
    deleteTree(home.resolve("data/h2"));                  // a fresh database each start (a killed run may leave half of one)
    int port = Harness.freePort();
    KeycloakServer server = new KeycloakServer(kc(home, log, "start", "--optimized", "--http-enabled=true",
        "--hostname-strict=false", "--http-host=127.0.0.1", "--http-port=" + port,
        "--http-management-port=" + Harness.freePort(), "--import-realm").start(), log, port);
    try {
      server.awaitDiscovery();
      return server;
    } catch (Throwable e) {
      server.close();
      throw e;
    }
  }

  private static ProcessBuilder kc(Path home, Path log, String... arguments) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of("bash", home.resolve("bin/kc.sh").toString()));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("JAVA_HOME", javaHome().toString());
    builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
    builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
    builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
    return builder;
  }

  /** Waits (generously: the machine may be busy) until the realm answers discovery. */
  private void awaitDiscovery() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("Keycloak exited: " + tail(log));
      }
      try {
        HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(issuer()
            + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(500);
    }
    throw new AssertionError("Keycloak did not answer within " + START_TIMEOUT + ": " + tail(log));
  }

  /**
   * Rotates the realm's signing key the way an operator does: a new generated RSA key with a
   * higher priority than every earlier one, so tokens from now on carry its (new) key id.
   */
  void rotateSigningKey() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    String base = "http://127.0.0.1:" + port;
    HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(base + "/realms/master/protocol/openid-connect/token"))
        .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username=" + ADMIN
            + "&password=" + ADMIN_PASSWORD)).build(), HttpResponse.BodyHandlers.ofString());
    if (token.statusCode() != 200) {
      throw new AssertionError("Keycloak admin sign-in: " + token.statusCode() + " " + token.body());
    }
    String bearer = "Bearer " + new io.vertx.core.json.JsonObject(token.body()).getString("access_token");
    HttpResponse<String> realm = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/realms/" + REALM))
        .header("Authorization", bearer).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    io.vertx.core.json.JsonObject key = new io.vertx.core.json.JsonObject().put("name", "rotated-" + System.nanoTime())
        .put("providerId", "rsa-generated").put("providerType", "org.keycloak.keys.KeyProvider")
        .put("parentId", new io.vertx.core.json.JsonObject(realm.body()).getString("id"))
        .put("config", new io.vertx.core.json.JsonObject().put("priority", List.of(Long.toString(++rotations * 1000 + 1000)))
            .put("enabled", List.of("true")).put("active", List.of("true")).put("algorithm", List.of("RS256")));
    HttpResponse<String> added = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/realms/" + REALM + "/components"))
        .header("Authorization", bearer).header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(key.encode())).build(), HttpResponse.BodyHandlers.ofString());
    if (added.statusCode() != 201) {
      throw new AssertionError("Keycloak key rotation: " + added.statusCode() + " " + added.body());
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  private static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }

  /** A JDK of version 21 or later. */
  static Path javaHome() throws IOException {
    String configured = System.getenv("KEYCLOAK_JAVA_HOME");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    if (Runtime.version().feature() >= 21) {
      return Path.of(System.getProperty("java.home"));
    }
    try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
      return jdks.filter(jdk -> Files.isExecutable(jdk.resolve("bin/java")) && feature(jdk) >= 21)
          .max(Comparator.comparingInt(KeycloakServer::feature))
          .orElseThrow(() -> new AssertionError("Keycloak needs a JDK 21+: none under /usr/lib/jvm and no "
              + "KEYCLOAK_JAVA_HOME (.ci/run installs one)"));
    }
  }

  /** The feature version in a JDK's {@code release} file, 0 when it has none. */
  private static int feature(Path jdk) {
    try {
      for (String line : Files.readAllLines(jdk.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          return Integer.parseInt(version.split("[.+-]")[0]);
        }
      }
    } catch (IOException | NumberFormatException unreadable) {
      return 0;
    }
    return 0;
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
