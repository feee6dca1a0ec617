package dev.portico.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static dev.portico.launcher.ConfigEnv.integerBetween;
import static dev.portico.launcher.ConfigEnv.ipAndPort;
import static dev.portico.launcher.ConfigEnv.positive;

/**
 * The cert role's ACME settings.
 *
 * @param caBundle      path of a PEM file of extra CAs trusted for the ACME server's HTTPS, or null
 * @param dns01Servers  {@code host:port} of the name servers checked for DNS-01 records instead
 *                      of each zone's authoritative ones; empty to find those
 * @param dns01SequenceIntervalMs pause before a one-value provider's name (DuckDNS) carries
 *                      another challenge value, so the CA's resolver has not cached the last one
 */
public record AcmeSettings(String directory, String email, String caBundle, int issueTimeoutMs,
    int renewalCheckIntervalMs, int renewBeforeDays, int backoffBaseMs, List<String> dns01Servers,
    int dns01PropagationTimeoutMs, int dns01SequenceIntervalMs) {

  static AcmeSettings fromEnvironment(ConfigEnv env) {
    String directory = env.getOrDefault("PORTICO_ACME_DIRECTORY", "https://acme-v02.api.letsencrypt.org/directory").trim();
    if (!directory.startsWith("https://") && !directory.startsWith("http://")) {
      throw new ConfigException("PORTICO_ACME_DIRECTORY='" + directory + "' must be an http(s):// URL");
    }
    String caBundle = env.get("PORTICO_ACME_CA_BUNDLE");
    if (caBundle != null && !Files.isReadable(Path.of(caBundle))) {
      throw new ConfigException("PORTICO_ACME_CA_BUNDLE='" + caBundle + "' is not a readable file");
    }
    return new AcmeSettings(directory, env.get("PORTICO_ACME_EMAIL"), caBundle,
        positive(env, "PORTICO_ACME_ISSUE_TIMEOUT_MS", 90_000),
        positive(env, "PORTICO_ACME_RENEWAL_CHECK_MS", 3_600_000),
        positive(env, "PORTICO_ACME_RENEW_BEFORE_DAYS", 30),
        positive(env, "PORTICO_ACME_BACKOFF_BASE_MS", 60_000),
        Arrays.stream(env.getOrDefault("PORTICO_DNS01_SERVERS", "").split(",")).map(String::trim)
            .filter(server -> !server.isEmpty()).map(server -> ipAndPort("PORTICO_DNS01_SERVERS", server)).toList(),
        positive(env, "PORTICO_DNS01_PROPAGATION_TIMEOUT_MS", 120_000),
        integerBetween(env, "PORTICO_DNS01_SEQUENCE_INTERVAL_MS", 60_000, 0, 3_600_000));
  }
}
