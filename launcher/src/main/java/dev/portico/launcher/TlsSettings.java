package dev.portico.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static dev.portico.launcher.ConfigEnv.positive;

/**
 * The HTTPS listener's settings.
 *
 * @param engine             {@code auto} (OpenSSL when it loads), {@code openssl} or {@code jdk}
 * @param onDemandTimeoutMs  how long a first handshake for an {@code auto} site waits for issuance
 * @param fallbackCertFile   PEM chain of a configured fallback certificate, or null (generated)
 * @param fallbackKeyFile    its PEM private key, or null
 */
public record TlsSettings(String engine, int onDemandTimeoutMs, Path fallbackCertFile, Path fallbackKeyFile) {

  static TlsSettings fromEnvironment(ConfigEnv env) {
    return new TlsSettings(engine(env.getOrDefault("PORTICO_TLS_ENGINE", "auto")),
        positive(env, "PORTICO_ON_DEMAND_TLS_TIMEOUT_MS", 20_000),
        fallbackFile(env, "PORTICO_FALLBACK_CERT_FILE", "PORTICO_FALLBACK_KEY_FILE"),
        fallbackFile(env, "PORTICO_FALLBACK_KEY_FILE", "PORTICO_FALLBACK_CERT_FILE"));
  }

  private static String engine(String value) {
    String engine = value.trim().toLowerCase(java.util.Locale.ROOT);
    if (!Set.of("auto", "openssl", "jdk").contains(engine)) {
      throw new ConfigException("PORTICO_TLS_ENGINE='" + value + "' must be auto, openssl or jdk");
    }
    return engine;
  }

  /** A fallback certificate file, which must be given together with {@code partner}. */
  private static Path fallbackFile(ConfigEnv env, String name, String partner) {
    String value = env.get(name);
    if (value == null) {
      if (env.get(partner) != null) {
        throw new ConfigException(partner + " is set but " + name + " is not: give both or neither");
      }
      return null;
    }
    Path path = Path.of(value.trim());
    if (!Files.isReadable(path)) {
      throw new ConfigException(name + "='" + value + "' is not a readable file");
    }
    return path;
  }
}
