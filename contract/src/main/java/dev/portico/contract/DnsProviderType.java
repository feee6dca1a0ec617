package dev.portico.contract;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The DNS provider APIs Portico can create DNS-01 TXT records with, and the credential fields
 * each needs. A provider is stored under {@link CertKeys#dnsProvider} as
 * {@code {"id", "type", "domains": [...], "credentials": "<sealed JSON object>"}}, the
 * credentials sealed with {@link SecretBox} (context: the provider's Redis key). A name's
 * provider is the one whose {@code domains} holds the longest suffix of it; the admin API keeps
 * each domain on one provider only.
 */
public enum DnsProviderType {
  CLOUDFLARE(List.of("apiToken")),
  DIGITALOCEAN(List.of("apiToken")),
  PORKBUN(List.of("apiKey", "secretApiKey")),
  DUCKDNS(List.of("token")),
  RFC2136(List.of("server", "keyName", "keyAlgorithm", "keySecret"));

  private final List<String> credentialFields;

  DnsProviderType(List<String> credentialFields) {
    this.credentialFields = credentialFields;
  }

  public List<String> credentialFields() {
    return credentialFields;
  }

  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<DnsProviderType> fromJson(String type) {
    for (DnsProviderType value : values()) {
      if (value.json().equals(type)) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }
}
