package dev.portico.admin;

import io.vertx.core.json.JsonObject;

/**
 * A request the API refuses: its status and the {@code {"error", "detail"}} body the client gets.
 * Handlers throw it or fail their future with it; {@link AdminVerticle} turns it into the response.
 */
public final class ApiError extends RuntimeException {

  private final int status;
  private final String error;
  private final String field;
  private final long retryAfterSeconds;

  private ApiError(int status, String error, String detail, String field, long retryAfterSeconds) {
    super(detail, null, false, false);
    this.status = status;
    this.error = error;
    this.field = field;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static ApiError badRequest(String field, String detail) {
    return new ApiError(400, "invalid request", detail, field, 0);
  }

  public static ApiError unauthorized(String detail) {
    return new ApiError(401, "unauthorized", detail, null, 0);
  }

  public static ApiError forbidden(String detail) {
    return new ApiError(403, "forbidden", detail, null, 0);
  }

  public static ApiError notFound(String detail) {
    return new ApiError(404, "not found", detail, null, 0);
  }

  public static ApiError conflict(String detail) {
    return new ApiError(409, "conflict", detail, null, 0);
  }

  public static ApiError unsupportedMediaType(String detail) {
    return new ApiError(415, "unsupported media type", detail, null, 0);
  }

  public static ApiError tooManyRequests(String detail, long retryAfterSeconds) {
    return new ApiError(429, "too many requests", detail, null, Math.max(1, retryAfterSeconds));
  }

  public static ApiError badGateway(String detail) {
    return new ApiError(502, "bad gateway", detail, null, 0);
  }

  public static ApiError unavailable(String detail) {
    return new ApiError(503, "unavailable", detail, null, 0);
  }

  public static ApiError unavailable(String detail, long retryAfterSeconds) {
    return new ApiError(503, "unavailable", detail, null, Math.max(1, retryAfterSeconds));
  }

  public int status() {
    return status;
  }

  /** Seconds for a {@code Retry-After} header, or 0 for none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public JsonObject body() {
    JsonObject body = new JsonObject().put("error", error).put("detail", getMessage());
    if (field != null) {
      body.put("field", field);
    }
    return body;
  }
}
