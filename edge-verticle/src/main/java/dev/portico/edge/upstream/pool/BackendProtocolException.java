package dev.portico.edge.upstream.pool;

/** A backend answered something that is not valid HTTP/1.1 (or not an answer to what was asked). */
public final class BackendProtocolException extends Exception {

  public BackendProtocolException(String message) {
    super(message, null, false, false);
  }
}
