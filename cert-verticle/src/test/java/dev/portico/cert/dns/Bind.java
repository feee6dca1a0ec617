package dev.portico.cert.dns;

import io.vertx.core.json.JsonObject;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real BIND 9 ({@code named} from Debian's {@code bind9}) on 127.0.0.1 and a free port (UDP and
 * TCP), authoritative for the given zones (SOA, {@code NS ns1.<zone>}, {@code ns1 A 127.0.0.1}),
 * accepting dynamic updates signed with a generated hmac-sha256 TSIG key. No recursion, no
 * control channel; everything lives in a temporary directory.
 */
public final class Bind implements AutoCloseable {

  private static final Path NAMED = Path.of("/usr/sbin/named");
  public static final String KEY_NAME = "portico-test.";
  public static final String KEY_ALGORITHM = "hmac-sha256";

  private final Path dir;
  private final int port;
  private final String keySecret;
  private final Process process;
  private final List<String> log = new CopyOnWriteArrayList<>();

  public Bind(String... zones) throws Exception {
    if (!Files.isExecutable(NAMED)) {
      throw new IllegalStateException("these tests need BIND 9 (" + NAMED + "): apt-get install -y bind9");
    }
    dir = Files.createTempDirectory("bind");
    port = freePort();
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    keySecret = Base64.getEncoder().encodeToString(secret);
    StringBuilder conf = new StringBuilder("""
        options {
          directory "%1$s";
          listen-on port %2$d { 127.0.0.1; };
          listen-on-v6 { none; };
          pid-file "%1$s/named.pid";
          session-keyfile "%1$s/session.key";
          managed-keys-directory "%1$s";
          recursion no;
          dnssec-validation no;
          notify no;
        };
        controls { };
        key "%3$s" { algorithm %4$s; secret "%5$s"; };
        """.formatted(dir, port, KEY_NAME, KEY_ALGORITHM, keySecret));
    for (String zone : zones) {
      Files.writeString(dir.resolve(zone + ".zone"), """
          $TTL 60
          @ IN SOA ns1.%1$s. hostmaster.%1$s. 1 3600 600 86400 60
          @ IN NS ns1.%1$s.
          ns1 IN A 127.0.0.1
          """.formatted(zone));
      conf.append("zone \"%1$s\" { type primary; file \"%2$s/%1$s.zone\"; allow-update { key \"%3$s\"; }; };\n"
          .formatted(zone, dir, KEY_NAME));
    }
    Files.writeString(dir.resolve("named.conf"), conf);
    process = new ProcessBuilder(NAMED.toString(), "-g", "-n", "1", "-c", dir.resolve("named.conf").toString())
        .redirectErrorStream(true).start();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          log.add(line);
        }
      } catch (IOException ignored) {
        // named ended
      }
    }, "named-log");
    reader.setDaemon(true);
    reader.start();
    awaitRunning(zones[0]);
  }

  /** {@code 127.0.0.1:<port>}. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** RFC 2136 credentials for this server, as a DNS provider record holds them. */
  public JsonObject credentials() {
    return new JsonObject().put("server", address()).put("keyName", KEY_NAME).put("keyAlgorithm", KEY_ALGORITHM)
        .put("keySecret", keySecret);
  }

  /** The TXT values BIND answers for {@code name} now. */
  public List<String> txt(String name) throws IOException {
    Message answer = query(name, Type.TXT);
    List<String> values = new ArrayList<>();
    for (Record record : answer.getSection(Section.ANSWER)) {
      if (record instanceof TXTRecord txt) {
        values.add(String.join("", txt.getStrings()));
      }
    }
    return values;
  }

  private Message query(String name, int type) throws IOException {
    SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
    resolver.setTimeout(Duration.ofSeconds(2));
    return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name.endsWith(".") ? name : name + "."),
        type, DClass.IN)));
  }

  private void awaitRunning(String zone) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline && process.isAlive()) {
      try {
        if (query(zone, Type.SOA).getRcode() == Rcode.NOERROR) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    close();
    throw new IllegalStateException("named did not start:\n" + String.join("\n", log));
  }

  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      try (ServerSocket tcp = new ServerSocket(0)) {
        int candidate = tcp.getLocalPort();
        try (DatagramSocket udp = new DatagramSocket(candidate)) {
          return candidate;
        } catch (IOException udpTaken) {
          // try another
        }
      }
    }
    throw new IOException("no port free for both TCP and UDP");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException ignored) {
      // a temporary directory left behind
    }
  }
}
