package dev.portico.cert.dns;

/**
 * A TXT record a {@link DnsProvider} created.
 *
 * @param zone  the zone it was created in
 * @param name  its absolute name, no trailing dot
 * @param value the TXT value
 * @param id    the provider's id for the record, or {@code null} when the provider has none
 *              (the record is then found by name and value)
 */
public record TxtRecord(String zone, String name, String value, String id) {
}
