package dev.portico.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * A DNS provider account as stored under {@link CertKeys#dnsProvider}: written by the admin API,
 * read by the cert verticle when it answers a DNS-01 challenge.
 *
 * <pre>{"id": "cf", "type": "cloudflare", "domains": ["example.com"],
 *  "credentials": "aesgcm1:...", "endpoint": "https://api.cloudflare.com/client/v4"}</pre>
 *
 * @param domains     the zones the account manages, as the provider names them
 * @param credentials the credential fields of {@link DnsProviderType#credentialFields()} as a JSON
 *                    object, sealed with {@link SecretBox} (context: the record's Redis key)
 * @param endpoint    the provider API's base URL, or {@code null} for its public one (set it for
 *                    an API gateway or a local stand-in)
 */
public record DnsProviderRecord(String id, DnsProviderType type, List<String> domains, String credentials,
    String endpoint) {

  public DnsProviderRecord {
    domains = List.copyOf(domains);
  }

  /** @throws IllegalArgumentException when the stored JSON is not a provider record */
  public static DnsProviderRecord fromJson(JsonObject json) {
    DnsProviderType type = DnsProviderType.fromJson(json.getString("type"))
        .orElseThrow(() -> new IllegalArgumentException("unknown DNS provider type " + json.getValue("type")));
    JsonArray domains = json.getJsonArray("domains", new JsonArray());
    return new DnsProviderRecord(json.getString("id"), type,
        domains.stream().map(domain -> ((String) domain).toLowerCase(Locale.ROOT)).toList(),
        json.getString("credentials"), json.getString("endpoint"));
  }

  /**
   * The zone of this account that holds {@code name}: the longest of {@link #domains} that is
   * {@code name} or one of its parents; {@code null} when none is.
   */
  public String zoneOf(String name) {
    String zone = null;
    for (String domain : domains) {
      if ((name.equals(domain) || name.endsWith("." + domain)) && (zone == null || domain.length() > zone.length())) {
        zone = domain;
      }
    }
    return zone;
  }

  /**
   * The provider, among {@code providers}, whose zone holding {@code name} is the longest (the
   * admin API keeps each domain on one provider, so there are no ties); {@code null} for none.
   */
  public static DnsProviderRecord covering(List<DnsProviderRecord> providers, String name) {
    DnsProviderRecord best = null;
    int bestLength = -1;
    for (DnsProviderRecord provider : providers) {
      String zone = provider.zoneOf(name);
      if (zone != null && zone.length() > bestLength) {
        best = provider;
        bestLength = zone.length();
      }
    }
    return best;
  }

  /**
   * Why {@code endpoint} is not usable as an API base URL, or {@code null} when it is: an
   * {@code https} URL, or {@code http} to a loopback address (credentials never cross a network
   * in the clear).
   */
  public static String endpointProblem(String endpoint) {
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (java.net.URISyntaxException e) {
      return "not a URL";
    }
    String host = uri.getHost();
    if (host == null || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      return "an endpoint is a URL like https://host[:port][/path], without query or credentials";
    }
    if ("https".equals(uri.getScheme())) {
      return null;
    }
    boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    return "http".equals(uri.getScheme()) && loopback ? null : "an endpoint must be https (http only to loopback)";
  }
}
