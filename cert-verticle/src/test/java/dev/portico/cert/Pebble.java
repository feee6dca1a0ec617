package dev.portico.cert;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real ACME CA for tests: Debian's {@code pebble} with {@code pebble-challtestsrv} as its DNS
 * server (every name resolves to 127.0.0.1), on free ports, validating HTTP-01 on
 * {@code httpPort}. Its HTTPS certificate is made here with openssl from a throwaway CA (the
 * Debian package ships none); {@link #caBundle} is that CA. Pebble's log is kept to count orders.
 */
final class Pebble implements AutoCloseable {

  private static final String PEBBLE = "/usr/bin/pebble";
  private static final String CHALLTESTSRV = "/usr/bin/pebble-challtestsrv";

  private final Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final int acmePort;
  private final int dnsManagementPort;
  private final int dnsPort;
  private final HttpClient http = HttpClient.newHttpClient();

  /** A CA that looks names up in its own challtestsrv (see {@link #dnsServer()}). */
  Pebble(int httpPort) throws Exception {
    this(httpPort, null);
  }

  /**
   * A CA that looks names up at {@code dnsServer} ({@code host:port}, such as a BIND authoritative
   * for the test zones), or in its own challtestsrv when {@code null}.
   */
  Pebble(int httpPort, String dnsServer) throws Exception {
    if (!Files.isExecutable(Path.of(PEBBLE)) || !Files.isExecutable(Path.of(CHALLTESTSRV))) {
      throw new IllegalStateException("these tests need the Debian package 'pebble' (" + PEBBLE + ", "
          + CHALLTESTSRV + "): apt-get install -y pebble");
    }
    dir = Files.createTempDirectory("pebble");
    makeCertificates();
    dnsPort = freePort();
    dnsManagementPort = freePort();
    acmePort = freePort();
    start("challtestsrv", CHALLTESTSRV, "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
        "-dns01", "127.0.0.1:" + dnsPort, "-management", "127.0.0.1:" + dnsManagementPort,
        "-http01", "", "-https01", "", "-tlsalpn01", "");
    Files.writeString(dir.resolve("pebble.json"), """
        {"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
          "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
          "ocspResponderURL": "", "externalAccountBindingRequired": false}}
        """.formatted(acmePort, freePort(), dir.resolve("pebble.pem"), dir.resolve("pebble.key"), httpPort, freePort()));
    start("pebble", PEBBLE, "-config", dir.resolve("pebble.json").toString(), "-dnsserver",
        dnsServer != null ? dnsServer : dnsServer());
    awaitListening(acmePort);
    awaitListening(dnsManagementPort);
  }

  String directoryUrl() {
    return "https://127.0.0.1:" + acmePort + "/dir";
  }

  Path caBundle() {
    return dir.resolve("ca.pem");
  }

  /** Orders created so far (pebble logs one {@code POST /order-plz} per new order). */
  long orders() {
    return log.stream().filter(line -> line.contains("/order-plz")).count();
  }

  /** {@code host:port} of challtestsrv's DNS server. */
  String dnsServer() {
    return "127.0.0.1:" + dnsPort;
  }

  /** Makes {@code host} resolve to {@code ip} for the CA (challtestsrv's management API). */
  void resolve(String host, String ip) throws Exception {
    manage("add-a", "{\"host\":\"" + host + ".\",\"addresses\":[\"" + ip + "\"]}");
  }

  /** Adds a TXT value at {@code host} in challtestsrv (values accumulate until {@link #clearTxt}). */
  void addTxt(String host, String value) throws Exception {
    manage("set-txt", "{\"host\":\"" + host + ".\",\"value\":\"" + value + "\"}");
  }

  /** Removes every TXT value at {@code host} in challtestsrv. */
  void clearTxt(String host) throws Exception {
    manage("clear-txt", "{\"host\":\"" + host + ".\"}");
  }

  private void manage(String operation, String body) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + dnsManagementPort + "/" + operation))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("challtestsrv refused " + operation + ": " + response.statusCode() + " "
          + response.body());
    }
  }

  private void makeCertificates() throws Exception {
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", dir.resolve("ca.key").toString(), "-out", caBundle().toString(), "-days", "2",
        "-subj", "/CN=Portico test CA for pebble");
    run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", dir.resolve("pebble.key").toString(), "-out", dir.resolve("pebble.csr").toString(),
        "-subj", "/CN=127.0.0.1");
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    run("openssl", "x509", "-req", "-in", dir.resolve("pebble.csr").toString(), "-CA", caBundle().toString(),
        "-CAkey", dir.resolve("ca.key").toString(), "-CAcreateserial", "-days", "2",
        "-extfile", dir.resolve("san.ext").toString(), "-out", dir.resolve("pebble.pem").toString());
  }

  private void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
  }

  private void start(String name, String... command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PEBBLE_VA_NOSLEEP", "1");
    builder.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
    // almost never reuse a valid authorization: pebble makes a new one when rand(100) > this, so
    // about 1 in 100 is still reused, and tests must not count on a fresh one for every name
    builder.environment().put("PEBBLE_AUTHZREUSE", "0");
    Process process = builder.start();
    processes.add(process);
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          log.add(name + ": " + line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, name + "-log");
    reader.setDaemon(true);
    reader.start();
  }

  private void awaitListening(int port) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("pebble did not listen on " + port + ":\n" + String.join("\n", log));
  }

  List<String> log() {
    return log;
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    processes.forEach(Process::destroy);
    for (Process process : processes) {
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
