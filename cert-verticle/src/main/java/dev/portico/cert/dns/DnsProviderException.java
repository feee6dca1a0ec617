package dev.portico.cert.dns;

/**
 * A DNS provider refused or failed a request. The message says which provider, what was asked
 * and what it answered (its status and error text), and is recorded as the certificate's error:
 * it never holds a credential.
 */
public final class DnsProviderException extends RuntimeException {

  public DnsProviderException(String message) {
    super(message);
  }

  public DnsProviderException(String message, Throwable cause) {
    super(message, cause);
  }
}
