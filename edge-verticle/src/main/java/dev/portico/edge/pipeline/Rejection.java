package dev.portico.edge.pipeline;

/**
 * A request a site's policy refuses, as the failure of an asynchronous check: the status, the
 * JSON error the client gets, and the one header the status calls for ({@code WWW-Authenticate}
 * for 401, {@code Retry-After} for 429). {@link Step#after} turns it into the {@link Answer}.
 */
public final class Rejection extends RuntimeException {

  private final int status;
  private final String error;
  private final String headerName;
  private final String headerValue;

  public Rejection(int status, String error, String detail, String headerName, String headerValue) {
    super(detail, null, false, false);
    this.status = status;
    this.error = error;
    this.headerName = headerName;
    this.headerValue = headerValue;
  }

  public int status() {
    return status;
  }

  /** The answer the client gets. */
  public Answer answer() {
    Answer answer = Answer.error(status, error, getMessage());
    return headerName == null ? answer : answer.header(headerName, headerValue);
  }
}
