package dev.portico.edge.sso;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The edge's calls to an OIDC provider (discovery, the token endpoint), asynchronous on Vert.x's
 * client and treating the answer as hostile: each call has a deadline, the body is cut past
 * {@link #MAX_BYTES} while it is read, and only a JSON object is taken.
 */
final class IdpHttp {

  static final int MAX_BYTES = 64 * 1024;
  static final long TIMEOUT_MS = 5_000;

  /** The status and JSON object body of an answer ({@code null} when the body is not a JSON object). */
  record Reply(int status, JsonObject json) {
  }

  private final Vertx vertx;
  private final HttpClient client;

  IdpHttp(Vertx vertx, HttpClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  Future<Reply> get(String url) {
    return call(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url), null);
  }

  /** POSTs {@code form} as {@code application/x-www-form-urlencoded}, with HTTP basic client authentication. */
  Future<Reply> postForm(String url, String clientId, String clientSecret, Map<String, String> form) {
    // RFC 6749 2.3.1: the client id and secret are form-encoded before they are put in the basic credentials
    String credentials = java.util.Base64.getEncoder().encodeToString((encode(clientId) + ":" + encode(clientSecret))
        .getBytes(StandardCharsets.UTF_8));
    String body = form.entrySet().stream().map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
        .collect(Collectors.joining("&"));
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded")
        .putHeader(HttpHeaders.AUTHORIZATION, "Basic " + credentials);
    return call(options, Buffer.buffer(body));
  }

  private Future<Reply> call(RequestOptions options, Buffer body) {
    MultiMap headers = options.getHeaders() == null ? HttpHeaders.headers() : options.getHeaders();
    options.setHeaders(headers.set(HttpHeaders.ACCEPT, "application/json")).setTimeout(TIMEOUT_MS)
        .setFollowRedirects(false);
    Promise<Reply> reply = Promise.promise();
    client.request(options).onComplete(ar -> {
      if (ar.failed()) {
        reply.tryFail(ar.cause());
        return;
      }
      HttpClientRequest request = ar.result();
      long deadline = vertx.setTimer(TIMEOUT_MS, t -> cut(request, reply, "no complete answer within " + TIMEOUT_MS + " ms"));
      reply.future().onComplete(done -> vertx.cancelTimer(deadline));
      (body == null ? request.send() : request.send(body)).onComplete(sent -> {
        if (sent.failed()) {
          reply.tryFail(sent.cause());
          return;
        }
        var response = sent.result();
        Buffer received = Buffer.buffer();
        response.exceptionHandler(reply::tryFail);
        response.handler(chunk -> {
          if (received.length() + chunk.length() > MAX_BYTES) {
            cut(request, reply, "an answer larger than " + MAX_BYTES + " bytes");
          } else if (!reply.future().isComplete()) {
            received.appendBuffer(chunk);
          }
        });
        response.endHandler(v -> reply.tryComplete(new Reply(response.statusCode(), json(received))));
      });
    });
    return reply.future();
  }

  private static JsonObject json(Buffer body) {
    try {
      return body.length() == 0 ? null : new JsonObject(body);
    } catch (RuntimeException notAnObject) {
      return null;
    }
  }

  /** Fails the call and closes the connection, so that no more of the body is read. */
  private static void cut(HttpClientRequest request, Promise<Reply> reply, String why) {
    if (reply.tryFail(why)) {
      request.reset();
    }
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
