package dev.portico.edge.policy;

import dev.portico.contract.JwtPolicy;
import dev.portico.edge.upstream.TenantAddresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.auth.impl.jose.JWK;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Fetches a site's JWKS, treating the server as hostile: the body is bounded while it is read
 * (the connection is cut past {@link #MAX_BYTES}, whatever {@code Content-Length} says or does
 * not say), the whole fetch has a deadline, at most {@link #MAX_KEYS} keys are taken, and only
 * public signature keys Portico accepts are kept — RSA and EC keys with an RS/PS/ES algorithm.
 * A symmetric ({@code oct}) key in a JWKS is refused: a published HMAC secret lets anyone sign.
 * A tenant's JWKS host is dialled only at an address {@link TenantAddresses} allows.
 */
public final class JwksFetcher {

  static final int MAX_BYTES = 256 * 1024;
  static final int MAX_KEYS = 100;
  static final long TIMEOUT_MS = 5_000;

  /** A usable JWKS key and the algorithm it verifies. */
  record Key(JsonObject jwk, String algorithm) {
  }

  private final Vertx vertx;
  private final HttpClient client;
  private final TenantAddresses addresses;

  public JwksFetcher(Vertx vertx, HttpClient client, TenantAddresses addresses) {
    this.vertx = vertx;
    this.client = client;
    this.addresses = addresses;
  }

  /** The usable keys at {@code url} (possibly none); fails on a transport error, a refused address or a bad body. */
  Future<List<Key>> fetch(String url, boolean tenant) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException e) {
      return Future.failedFuture("invalid JWKS URL");
    }
    if (uri.getHost() == null) {
      return Future.failedFuture("the JWKS URL names no host");
    }
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
    int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setTimeout(TIMEOUT_MS);
    // A tenant's JWKS is fetched from the address that was checked (no second look-up to rebind).
    Future<RequestOptions> checked = !tenant ? Future.succeededFuture(options) : addresses.address(true, host, port)
        .map(address -> options.setServer(SocketAddress.inetSocketAddress(port, address)));
    return checked.compose(this::body).map(JwksFetcher::keys);
  }

  private Future<Buffer> body(RequestOptions options) {
    Promise<Buffer> body = Promise.promise();
    client.request(options).onComplete(ar -> {
      if (ar.failed()) {
        body.tryFail(ar.cause());
        return;
      }
      HttpClientRequest request = ar.result();
      long deadline = vertx.setTimer(TIMEOUT_MS, t -> cut(request, body, "no complete JWKS within " + TIMEOUT_MS + " ms"));
      body.future().onComplete(done -> vertx.cancelTimer(deadline));
      request.send().onComplete(sent -> {
        if (sent.failed()) {
          body.tryFail(sent.cause());
          return;
        }
        var response = sent.result();
        if (response.statusCode() != 200) {
          cut(request, body, "HTTP " + response.statusCode());
          return;
        }
        String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && !(length.matches("\\d{1,7}") && Integer.parseInt(length) <= MAX_BYTES)) {
          cut(request, body, "JWKS larger than " + MAX_BYTES + " bytes");
          return;
        }
        Buffer received = Buffer.buffer();
        response.exceptionHandler(body::tryFail);
        response.handler(chunk -> {
          if (received.length() + chunk.length() > MAX_BYTES) {
            cut(request, body, "JWKS larger than " + MAX_BYTES + " bytes");
          } else if (!body.future().isComplete()) {
            received.appendBuffer(chunk);
          }
        });
        response.endHandler(v -> body.tryComplete(received));
      });
    });
    return body.future();
  }

  /** Fails the fetch and closes the connection, so that no more of the body is read. */
  private static void cut(HttpClientRequest request, Promise<Buffer> body, String why) {
    if (body.tryFail(why)) {
      request.reset();
    }
  }

  private static List<Key> keys(Buffer body) {
    JsonArray keys;
    try {
      keys = new JsonObject(body).getJsonArray("keys", new JsonArray());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the JWKS is not a JSON object with a keys array");
    }
    if (keys.size() > MAX_KEYS) {
      throw new IllegalArgumentException("the JWKS has " + keys.size() + " keys, more than " + MAX_KEYS);
    }
    List<Key> usable = new ArrayList<>();
    for (Object value : keys) {
      if (value instanceof JsonObject jwk && ("RSA".equals(jwk.getValue("kty")) || "EC".equals(jwk.getValue("kty")))
          && (jwk.getValue("use") == null || "sig".equals(jwk.getValue("use")))) {
        try {
          // Vert.x's own JWK parser (an internal class): what it cannot parse, its JWTAuth cannot use.
          JWK parsed = new JWK(jwk);
          if (parsed.publicKey() != null && JwtPolicy.ALGORITHMS.contains(parsed.getAlgorithm())) {
            usable.add(new Key(jwk, parsed.getAlgorithm()));
          }
        } catch (RuntimeException unusable) {
          // an unknown curve, a malformed modulus...: not a key
        }
      }
    }
    return usable;
  }
}
