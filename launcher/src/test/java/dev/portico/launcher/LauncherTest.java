package dev.portico.launcher;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Start-up: the newcomer's default (embedded Redis, all roles) and bad configuration. */
class LauncherTest {

  private static Map<String, String> env(Path dataDir, String... pairs) {
    Map<String, String> env = Harness.listenersOnFreePorts();
    env.put("PORTICO_EMBEDDED_REDIS_PORT", Integer.toString(Harness.freePort()));
    env.put("PORTICO_DATA_DIR", dataDir.toString());
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void badConfigurationStopsStartUpWithOneClearLine() throws Exception {
    Path dataDir = Files.createTempDirectory("portico-launcher");
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName());
    builder.environment().putAll(env(dataDir, "PORTICO_ROLES", "edge,bogus"));
    Process bad = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(bad.waitFor(30, TimeUnit.SECONDS));
    String stderr = new String(bad.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, bad.exitValue());
    assertEquals("portico: PORTICO_ROLES names an unknown role 'bogus' (known: lookup, edge, admin, cert)\n", stderr);
  }

  @Test
  void invalidValuesAreNamed() {
    Path dir = Path.of("unused");
    assertEquals("PORTICO_HTTP_PORT=70000 is not a port (1-65535)", assertThrows(ConfigException.class,
        () -> PorticoConfig.fromEnvironment(env(dir, "PORTICO_HTTP_PORT", "70000"))).getMessage());
    assertEquals("PORTICO_CLUSTER='maybe' must be on or off", assertThrows(ConfigException.class,
        () -> PorticoConfig.fromEnvironment(env(dir, "PORTICO_CLUSTER", "maybe"))).getMessage());
    assertEquals("PORTICO_REDIS_URL='localhost:6379' must start with redis:// or rediss://",
        assertThrows(ConfigException.class,
            () -> PorticoConfig.fromEnvironment(env(dir, "PORTICO_REDIS_URL", "localhost:6379"))).getMessage());
    assertEquals("PORTICO_ACME_CA_BUNDLE='/nonexistent/ca.pem' is not a readable file",
        assertThrows(ConfigException.class,
            () -> PorticoConfig.fromEnvironment(env(dir, "PORTICO_ACME_CA_BUNDLE", "/nonexistent/ca.pem"))).getMessage());
    assertEquals("PORTICO_ACME_DIRECTORY='acme.example' must be an http(s):// URL",
        assertThrows(ConfigException.class,
            () -> PorticoConfig.fromEnvironment(env(dir, "PORTICO_ACME_DIRECTORY", "acme.example"))).getMessage());
    assertEquals("PORTICO_DNS01_SERVERS='ns1.example.com' is not an IP address with an optional port",
        assertThrows(ConfigException.class, () -> PorticoConfig.fromEnvironment(
            env(dir, "PORTICO_DNS01_SERVERS", "10.0.0.53, ns1.example.com"))).getMessage());
    assertEquals(List.of("10.0.0.53:53", "[2001:db8::53]:5353"), PorticoConfig.fromEnvironment(
        env(dir, "PORTICO_DNS01_SERVERS", "10.0.0.53, [2001:db8::53]:5353")).acme().dns01Servers());
    assertEquals("PORTICO_DNS01_SEQUENCE_INTERVAL_MS=-1 must be between 0 and 3600000", assertThrows(ConfigException.class,
        () -> PorticoConfig.fromEnvironment(env(dir, "PORTICO_DNS01_SEQUENCE_INTERVAL_MS", "-1"))).getMessage());
    assertEquals(0L, PorticoConfig.fromEnvironment(env(dir, "PORTICO_DNS01_SEQUENCE_INTERVAL_MS", "0")).verticleConfig()
        .getLong("dns01SequenceIntervalMs"), "0: no pause, for a CA known not to cache");
    assertEquals("PORTICO_TLS_ENGINE='boring' must be auto, openssl or jdk", assertThrows(ConfigException.class,
        () -> PorticoConfig.fromEnvironment(env(dir, "PORTICO_TLS_ENGINE", "boring"))).getMessage());
    assertEquals("PORTICO_FALLBACK_CERT_FILE='/nonexistent.pem' is not a readable file", assertThrows(ConfigException.class,
        () -> PorticoConfig.fromEnvironment(env(dir, "PORTICO_FALLBACK_CERT_FILE", "/nonexistent.pem"))).getMessage());
    assertEquals("PORTICO_FALLBACK_CERT_FILE is set but PORTICO_FALLBACK_KEY_FILE is not: give both or neither",
        assertThrows(ConfigException.class,
            () -> PorticoConfig.fromEnvironment(env(dir, "PORTICO_FALLBACK_CERT_FILE", "pom.xml"))).getMessage());
  }

  @Test
  void tenantTargetRulesGetTheNodesPortsAndTheDenyPrivateSetting() {
    PorticoConfig config = PorticoConfig.fromEnvironment(env(Path.of("unused"), "PORTICO_TENANT_DENY_PRIVATE", "on"));
    io.vertx.core.json.JsonObject verticles = config.verticleConfig();
    assertTrue(verticles.getBoolean("tenantDenyPrivate"));
    assertEquals(List.of(config.httpPort(), config.httpsPort(), config.adminPort(), config.opsPort(),
            config.embeddedRedisPort()).stream().sorted().toList(),
        verticles.getJsonArray("nodePorts").getList());
    dev.portico.contract.TargetAddressRules rules = dev.portico.contract.TargetAddressRules.forThisNode(verticles);
    assertEquals("private address 10.0.0.5", rules.refusal("10.0.0.5", 8080));
    assertEquals(false, PorticoConfig.fromEnvironment(env(Path.of("unused"))).verticleConfig()
        .getBoolean("tenantDenyPrivate"), "private ranges are allowed by default");
    assertEquals("PORTICO_TENANT_DENY_PRIVATE='maybe' must be on or off", assertThrows(ConfigException.class,
        () -> PorticoConfig.fromEnvironment(env(Path.of("unused"), "PORTICO_TENANT_DENY_PRIVATE", "maybe"))).getMessage());
  }

  @Test
  void secretKeyNeverAppearsInTheConfigurationText() {
    PorticoConfig config = PorticoConfig.fromEnvironment(env(Path.of("unused"), "PORTICO_SECRET_KEY", "hunter2-secret"));
    assertEquals("hunter2-secret", config.secrets().secretKey());
    assertTrue(!config.toString().contains("hunter2") && config.toString().contains("Secrets[not shown]"),
        config.toString());
  }

  @Test
  void unreachableRedisIsReported() {
    int closedPort = Harness.freePort();
    ConfigException e = assertThrows(ConfigException.class, () -> Portico.start(PorticoConfig.fromEnvironment(
        env(Path.of("unused"), "PORTICO_REDIS_URL", "redis://127.0.0.1:" + closedPort,
            "PORTICO_SECRET_KEY", Harness.SECRET_KEY))));
    assertTrue(e.getMessage().startsWith("cannot reach Redis at redis://127.0.0.1:" + closedPort + ": "),
        e.getMessage());
  }

  @Test
  void portInUseIsReported() throws IOException {
    Path dataDir = Files.createTempDirectory("portico-launcher");
    Map<String, String> env;
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      env = env(dataDir, "PORTICO_HTTP_PORT", Integer.toString(taken.getLocalPort()));
      ConfigException e = assertThrows(ConfigException.class, () -> Portico.start(PorticoConfig.fromEnvironment(env)));
      assertTrue(e.getMessage().startsWith("cannot start the edge role: "), e.getMessage());
      assertTrue(e.getMessage().contains("in use"), e.getMessage());
    }
    // the HTTPS port, which was free, is not left bound by the failed start
    new ServerSocket(Integer.parseInt(env.get("PORTICO_HTTPS_PORT")), 1, InetAddress.getByName("127.0.0.1")).close();
  }

  /**
   * The newcomer's default: all roles, embedded Redis. The first start creates {@code admin} with
   * a generated password logged once; sites and users survive a restart.
   */
  @Test
  void embeddedRedisKeepsSitesAndUsersAcrossRestarts() throws Exception {
    Path dataDir = Files.createTempDirectory("portico-launcher");
    Map<String, String> env = env(dataDir);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    int backend;
    try (Harness backends = new Harness()) {
      backend = backends.namedBackend("kept");
      String password;
      try (Portico first = Portico.start(PorticoConfig.fromEnvironment(env))) {
        List<String> created = logs.list.stream().map(ILoggingEvent::getFormattedMessage)
            .filter(line -> line.startsWith("Created user 'admin' with generated password: ")).toList();
        assertEquals(1, created.size(), "the generated password is logged once");
        password = created.get(0).split(": ")[1].split(" ")[0];
        var redis = io.vertx.redis.client.RedisAPI.api(io.vertx.redis.client.Redis.createClient(first.vertx(),
            "redis://127.0.0.1:" + env.get("PORTICO_EMBEDDED_REDIS_PORT")));
        Harness.await(redis.set(List.of("portico:site:kept.example.com",
            "{\"targets\":[\"127.0.0.1:" + backend + "\"]}")));
        Thread.sleep(1100);                                  // appendfsync everysec
      }
      try (Portico second = Portico.start(PorticoConfig.fromEnvironment(env))) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + env.get("PORTICO_HTTP_PORT") + "/")).header("Host", "kept.example.com")
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.body().startsWith("kept\n"));
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + env.get("PORTICO_ADMIN_PORT") + "/health/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode());
        assertEquals(200, new AdminClient(Integer.parseInt(env.get("PORTICO_ADMIN_PORT")))
            .post("/api/v1/auth/login", null, new io.vertx.core.json.JsonObject().put("username", "admin")
                .put("password", password)).status());
      }
      assertEquals(1, logs.list.stream().filter(e -> e.getFormattedMessage().startsWith("Created user 'admin'")).count(),
          "the second start finds the user");
    } finally {
      root.detachAppender(logs);
    }
  }

  @Test
  void leftoverEmbeddedRedisIsStoppedOnTheNextStart() throws IOException {
    Path dataDir = Files.createTempDirectory("portico-launcher");
    int port = Harness.freePort();
    EmbeddedRedis.start(dataDir, port);                     // never closed: as after a SIGKILL
    long leftover = Long.parseLong(Files.readString(dataDir.resolve("redis.pid")).trim());
    try (EmbeddedRedis next = EmbeddedRedis.start(dataDir, port)) {
      assertTrue(ProcessHandle.of(leftover).map(p -> !p.isAlive()).orElse(true));
      assertTrue(Long.parseLong(Files.readString(dataDir.resolve("redis.pid")).trim()) != leftover);
    }
  }
}
