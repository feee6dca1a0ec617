package dev.portico.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar portico.jar}: starts the configured roles, stops them on SIGTERM. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    // Hazelcast's own hook would leave the cluster before Vert.x has drained its requests.
    System.setProperty("hazelcast.shutdownhook.enabled", "false");
    // Per-request work Portico does not need: context timing, thread checks and class-loader
    // switches on every task, and Vert.x's header validation (Netty's HTTP/1.x decoder leaves it to
    // Vert.x): the edge checks every request head itself before use (RequestHeadValidator) and
    // every backend field it passes on (ProxyHeaders); the launcher's tests run with it off too.
    defaultProperty("vertx.disableContextTimings", "true");
    defaultProperty("vertx.threadChecks", "false");
    defaultProperty("vertx.disableTCCL", "true");
    defaultProperty("vertx.disableHttpHeadersValidation", "true");
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    defaultProperty("hazelcast.logging.type", "slf4j");
    Logger log = LoggerFactory.getLogger(Main.class);
    for (String unknown : PorticoConfig.unknownNames(System.getenv())) {
      log.warn("Ignoring {}: Portico reads no such variable (a typo?)", unknown);
    }
    Portico portico;
    try {
      portico = Portico.start(PorticoConfig.fromEnvironment(System.getenv()));
    } catch (ConfigException e) {
      log.debug("Start-up failed", e);
      System.err.println("portico: " + e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(portico::close, "portico-shutdown"));
  }

  /** Sets a system property unless the command line did ({@code -Dname=value} wins). */
  private static void defaultProperty(String name, String value) {
    if (System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }
}
