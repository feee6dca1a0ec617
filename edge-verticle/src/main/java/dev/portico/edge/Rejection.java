package dev.portico.edge;

/**
 * A request a site's policy refuses: the status, the JSON error the client gets, and the one
 * header the status calls for ({@code WWW-Authenticate} for 401, {@code Retry-After} for 429).
 */
final class Rejection extends RuntimeException {

  private final int status;
  private final String error;
  private final String headerName;
  private final String headerValue;

  Rejection(int status, String error, String detail, String headerName, String headerValue) {
    super(detail, null, false, false);
    this.status = status;
    this.error = error;
    this.headerName = headerName;
    this.headerValue = headerValue;
  }

  int status() {
    return status;
  }

  String error() {
    return error;
  }

  String headerName() {
    return headerName;
  }

  String headerValue() {
    return headerValue;
  }
}
