package dev.portico.cert.dns;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The HTTP plumbing the provider classes share: one timeout, the base URL, and failures turned
 * into {@link DnsProviderException}s that name the provider, the operation, the status and the
 * provider's own error text — never the request URL (DuckDNS carries its token there) and never a
 * credential: every message is scrubbed of the credentials' values, whatever a server echoes.
 */
final class ProviderApi {

  /** Longest wait for a connection, and then for each piece of an answer. */
  static final long TIMEOUT_MS = 15_000;
  /** Shorter values are not taken for secrets to scrub (they would garble every message). */
  private static final int SHORTEST_SECRET = 4;

  private final WebClient client;
  private final String provider;
  private final String baseUrl;
  private final List<String> secrets;
  private final Function<JsonObject, String> errorText;

  /**
   * @param baseUrl     the API base URL (see {@link #baseUrl})
   * @param credentials the provider's credentials, whose values never appear in a message
   * @param errorText   extracts the provider's error text from an error body
   */
  ProviderApi(WebClient client, String provider, String baseUrl, JsonObject credentials,
      Function<JsonObject, String> errorText) {
    this.client = client;
    this.provider = provider;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    // as given, and as a query string carries them (DuckDNS's token travels in its URL)
    this.secrets = credentials.stream().map(entry -> String.valueOf(entry.getValue()))
        .filter(value -> value.length() >= SHORTEST_SECRET)
        .flatMap(value -> Stream.of(value, URLEncoder.encode(value, StandardCharsets.UTF_8))).distinct().toList();
    this.errorText = errorText;
  }

  /** The provider record's {@code endpoint}, or the public API's URL when it has none. */
  static String baseUrl(String endpoint, String defaultEndpoint) {
    return endpoint == null || endpoint.isBlank() ? defaultEndpoint : endpoint;
  }

  /** A request to {@code path} (starting with '/') under the base URL. */
  HttpRequest<Buffer> request(io.vertx.core.http.HttpMethod method, String path) {
    return client.requestAbs(method, baseUrl + path).connectTimeout(TIMEOUT_MS).idleTimeout(TIMEOUT_MS);
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
        // Vert.x's timeout message holds the request URL: say what happened instead
        String why = ar.cause() instanceof TimeoutException ? "no answer within " + TIMEOUT_MS / 1000 + " s"
            : ar.cause().getClass().getSimpleName() + " " + ar.cause().getMessage();
        return Future.failedFuture(failure(operation + " failed: " + why));
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
      throw failure(operation + " answered HTTP " + response.statusCode() + " without a JSON body");
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
      text = raw == null || raw.isBlank() ? "no error text" : scrubbed(raw.strip());
      // cut after scrubbing: a secret cut in two would not be recognised
      text = text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
    return failure(operation + " refused with HTTP " + status + ": " + text);
  }

  /** A refusal the provider reports in a 2xx answer's body. */
  DnsProviderException refused(String operation, String text) {
    return failure(operation + " refused: " + text);
  }

  private DnsProviderException failure(String what) {
    return new DnsProviderException(scrubbed(provider + ": " + what));
  }

  private String scrubbed(String text) {
    for (String secret : secrets) {
      text = text.replace(secret, "***");
    }
    return text;
  }

  /** {@code recordName} relative to {@code zone}: {@code ""} for the apex. */
  static String relative(String recordName, String zone) {
    return recordName.equals(zone) ? "" : recordName.substring(0, recordName.length() - zone.length() - 1);
  }
}
