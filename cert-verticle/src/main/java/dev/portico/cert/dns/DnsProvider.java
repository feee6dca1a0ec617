package dev.portico.cert.dns;

import io.vertx.core.Future;

/**
 * One DNS provider account, reduced to what a DNS-01 challenge needs: add a TXT value to a name
 * in a zone the account manages, and remove it again. Implementations talk to the provider's
 * API without blocking; a refusal fails the future with a {@link DnsProviderException}.
 */
public interface DnsProvider {

  /**
   * Adds {@code value} as a TXT value of {@code recordName} in {@code zone}, leaving other values
   * of that name in place (two challenges, for {@code *.example.com} and {@code example.com}, share
   * one name).
   *
   * @param zone       the zone as the provider knows it (one of the provider record's
   *                   {@code domains}), lower case, no trailing dot
   * @param recordName the absolute record name, such as {@code _acme-challenge.example.com},
   *                   lower case, no trailing dot, inside {@code zone}
   * @return the record as created, with what {@link #removeTxt} needs to find it again
   */
  Future<TxtRecord> addTxt(String zone, String recordName, String value);

  /** Removes a record {@link #addTxt} created; succeeds when it is already gone. */
  Future<Void> removeTxt(TxtRecord record);

  /**
   * Whether the provider keeps several TXT values at one name. When it does not (DuckDNS holds
   * one TXT value per domain), challenges sharing a name are answered one after the other.
   */
  default boolean holdsSeveralValues() {
    return true;
  }
}
