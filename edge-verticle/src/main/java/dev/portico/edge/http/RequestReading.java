package dev.portico.edge.http;

import io.vertx.core.http.HttpServerRequest;

/** Reading what is left of a paused request. */
final class RequestReading {

  private RequestReading() {
  }

  /**
   * Lets the rest of a request's body be read (and dropped, when no handler takes it). An HTTP/2
   * request whose stream ended, or was reset by the client, throws on resume: there is nothing
   * left to read then.
   */
  static void resumeIfOpen(HttpServerRequest request) {
    if (!request.isEnded()) {
      request.resume();
    }
  }
}
