package dev.portico.edge.sso;

/** A provider the edge cannot use now: not configured, or its discovery failed. The message names it. */
final class ProviderUnavailable extends RuntimeException {

  ProviderUnavailable(String message) {
    super(message, null, false, false);
  }
}
