package dev.portico.cert.dns;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.util.function.Function;

/**
 * The HTTP plumbing the provider classes share: one timeout, the base URL, and failures turned
 * into {@link DnsProviderException}s that name the provider, the operation, the status and the
 * provider's own error text (never the request URL, which may carry a token).
 */
final class ProviderApi {

  /** Longest wait for one API call. */
  static final long TIMEOUT_MS = 15_000;

  private final WebClient client;
  private final String provider;
  private final String endpoint;
  private final Function<JsonObject, String> errorText;

  /**
   * @param endpoint  the API base URL, or {@code null} for {@code defaultEndpoint}
   * @param errorText extracts the provider's error text from an error body
   */
  ProviderApi(WebClient client, String provider, String endpoint, String defaultEndpoint,
      Function<JsonObject, String> errorText) {
    this.client = client;
    this.provider = provider;
    String base = endpoint == null || endpoint.isBlank() ? defaultEndpoint : endpoint;
    this.endpoint = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.errorText = errorText;
  }

  /** A request to {@code path} (starting with '/') under the base URL. */
  HttpRequest<Buffer> request(io.vertx.core.http.HttpMethod method, String path) {
    return client.requestAbs(method, endpoint + path).timeout(TIMEOUT_MS);
  }

  /**
   * Sends {@code request} (with {@code body} as JSON when not null); succeeds with the response
   * when its status is 2xx, or 404 when {@code goneIsFine}.
   */
  Future<HttpResponse<Buffer>> send(String operation, HttpRequest<Buffer> request, JsonObject body,
      boolean goneIsFine) {
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJsonObject(body);
    return sent.transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(new DnsProviderException(provider + ": " + operation + " failed: "
            + ar.cause().getClass().getSimpleName() + " " + ar.cause().getMessage()));
      }
      HttpResponse<Buffer> response = ar.result();
      int status = response.statusCode();
      if (status / 100 == 2 || (goneIsFine && status == 404)) {
        return Future.succeededFuture(response);
      }
      return Future.failedFuture(refused(operation, status, response));
    });
  }

  /** The response body as JSON; a {@link DnsProviderException} when it is not a JSON object. */
  JsonObject json(String operation, HttpResponse<Buffer> response) {
    try {
      return response.bodyAsJsonObject();
    } catch (RuntimeException e) {
      throw new DnsProviderException(provider + ": " + operation + " answered HTTP " + response.statusCode()
          + " without a JSON body");
    }
  }

  DnsProviderException refused(String operation, int status, HttpResponse<Buffer> response) {
    String text;
    try {
      JsonObject body = response.bodyAsJsonObject();
      text = body == null ? null : errorText.apply(body);
    } catch (RuntimeException notJson) {
      text = null;
    }
    if (text == null) {
      String raw = response.bodyAsString();
      text = raw == null || raw.isBlank() ? "no error text" : raw.strip();
      text = text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
    return new DnsProviderException(provider + ": " + operation + " refused with HTTP " + status + ": " + text);
  }

  /** A refusal the provider reports in a 2xx answer's body. */
  DnsProviderException refused(String operation, String text) {
    return new DnsProviderException(provider + ": " + operation + " refused: " + text);
  }

  /** {@code recordName} relative to {@code zone}: {@code ""} for the apex. */
  static String relative(String recordName, String zone) {
    return recordName.equals(zone) ? "" : recordName.substring(0, recordName.length() - zone.length() - 1);
  }
}
