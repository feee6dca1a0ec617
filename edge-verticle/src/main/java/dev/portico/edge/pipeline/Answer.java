package dev.portico.edge.pipeline;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;

/**
 * A response a filter gives instead of the backend's: a refusal, a redirect with cookies (SSO),
 * a stored response (a cache). It goes out through the response steps of the filters before the
 * one that answered.
 */
public final class Answer {

  private final int status;
  private final MultiMap headers = HttpHeaders.headers();
  private final Buffer body;

  public Answer(int status, Buffer body) {
    this.status = status;
    this.body = body;
  }

  /** The edge's JSON error: {@code {"error": ..., "detail": ...}}. */
  public static Answer error(int status, String error, String detail) {
    Answer answer = new Answer(status, Buffer.buffer(new JsonObject().put("error", error).put("detail", detail).encode()));
    answer.headers.set(HttpHeaders.CONTENT_TYPE, "application/json");
    return answer;
  }

  /** Adds a header field to the answer. */
  public Answer header(CharSequence name, CharSequence value) {
    headers.add(name, value);
    return this;
  }

  public int status() {
    return status;
  }

  public MultiMap headers() {
    return headers;
  }

  /** The body, or null for none. */
  public Buffer body() {
    return body;
  }
}
