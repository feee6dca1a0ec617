package dev.portico.contract;

/**
 * The Redis keys of certificate issuance: attempt state, the cluster's leases and locks, the
 * ACME account and the DNS providers for DNS-01. The certificates themselves are
 * {@link RedisKeys#CERT_PREFIX} keys. The README's Redis schema lists the same keys.
 */
public final class CertKeys {

  /**
   * {@code portico:cert-state:<name>}: a string holding the JSON state of the last issuance or
   * renewal attempt for a name (status, error, attempts, next attempt), written by cert
   * verticles and read by the admin API.
   */
  public static final String CERT_STATE_PREFIX = "portico:cert-state:";

  /**
   * {@code portico:lock:cert:<name>}: a lease (SET NX PX) held by the one cert verticle in the
   * cluster that is issuing for {@code name}; its value names the holder.
   */
  public static final String CERT_LOCK_PREFIX = "portico:lock:cert:";

  /**
   * {@code portico:lock:dns01:<zone>}: a lease held while a DNS-01 challenge uses the one TXT value
   * a provider such as DuckDNS keeps for {@code zone}, so two issuances never overwrite (or clear)
   * each other's value.
   */
  public static final String DNS01_ZONE_LOCK_PREFIX = "portico:lock:dns01:";

  /**
   * The lease (SET NX PX, renewed while held) of the cluster's one renewal scheduler; its value
   * names the holding node.
   */
  public static final String RENEWAL_SCHEDULER_LEASE = "portico:lease:renewal-scheduler";

  /**
   * The ACME account's key pair (PEM, {@link SecretBox#seal sealed} with this key as context),
   * created by the first cert verticle and shared by all, so the cluster has one account.
   */
  public static final String ACME_ACCOUNT = "portico:acme-account";

  /** {@code portico:dns-provider:<id>}: a DNS provider for DNS-01 (credentials sealed). */
  public static final String DNS_PROVIDER_PREFIX = "portico:dns-provider:";

  /** Sorted set of every DNS provider id. */
  public static final String DNS_PROVIDER_INDEX = "portico:dns-provider-index";

  public static String dnsProvider(String id) {
    return DNS_PROVIDER_PREFIX + id;
  }

  public static String certState(String name) {
    return CERT_STATE_PREFIX + name;
  }

  public static String certLock(String name) {
    return CERT_LOCK_PREFIX + name;
  }

  public static String dns01ZoneLock(String zone) {
    return DNS01_ZONE_LOCK_PREFIX + zone;
  }

  private CertKeys() {
  }
}
