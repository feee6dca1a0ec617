package dev.portico.edge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.portico.contract.SitePolicies.Jwt;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * JWTs at the edge: a site's {@code jwt} policy checked with Vert.x's JWT provider (signature
 * with the site's keys or its JWKS — {@code alg: none} and unknown algorithms never pass —,
 * expiry, issuer, audience). A verifier is built once per distinct policy and kept; the JWKS is
 * fetched when first needed, again every {@link #JWKS_TTL_MS}, and sooner when a token fails to
 * verify (a rotated key), at most once per {@link #JWKS_RETRY_MS}.
 */
final class JwtGuard {

  private static final Logger LOG = LoggerFactory.getLogger(JwtGuard.class);
  static final long JWKS_TTL_MS = 600_000;
  static final long JWKS_RETRY_MS = 30_000;
  private static final long JWKS_TIMEOUT_MS = 5_000;
  private static final int MAX_JWKS_BYTES = 256 * 1024;

  private final Vertx vertx;
  private final HttpClient client;
  private final Cache<Jwt, Verifier> verifiers = Caffeine.newBuilder().maximumSize(1_000).executor(Runnable::run).build();

  JwtGuard(Vertx vertx, HttpClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  /** The token's claims, or a 401 {@link Rejection}. */
  Future<JsonObject> verify(Jwt policy, String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.failedFuture(reject("a bearer token is required", null));
    }
    String token = authorization.substring(7).trim();
    return verifiers.get(policy, Verifier::new).verify(token);
  }

  private static Rejection reject(String detail, String error) {
    return new Rejection(401, "unauthorized", detail, "WWW-Authenticate",
        error == null ? "Bearer realm=\"portico\"" : "Bearer realm=\"portico\", error=\"" + error + "\"");
  }

  private final class Verifier {

    private final Jwt policy;
    private JWTAuth auth;
    private long fetchedAt;
    private Future<JWTAuth> fetching;

    Verifier(Jwt policy) {
      this.policy = policy;
    }

    Future<JsonObject> verify(String token) {
      return current(false).compose(jwt -> check(jwt, token)).recover(e -> {
        if (policy.jwksUrl() == null || System.currentTimeMillis() - fetchedAt < JWKS_RETRY_MS) {
          return Future.failedFuture(e);
        }
        return current(true).compose(jwt -> check(jwt, token));
      });
    }

    private Future<JsonObject> check(JWTAuth jwt, String token) {
      return jwt.authenticate(new TokenCredentials(token))
          .recover(e -> Future.failedFuture(reject("invalid token: " + e.getMessage(), "invalid_token")))
          .map(user -> user.attributes().getJsonObject("accessToken", new JsonObject()))
          .compose(claims -> claims.getValue("exp") instanceof Number ? Future.succeededFuture(claims)
              : Future.failedFuture(reject("invalid token: no expiry", "invalid_token")));
    }

    /** The provider with the latest keys; fetches the JWKS when due or when {@code refresh}. */
    private Future<JWTAuth> current(boolean refresh) {
      boolean due = policy.jwksUrl() != null && (refresh || System.currentTimeMillis() - fetchedAt > JWKS_TTL_MS);
      if (auth != null && !due) {
        return Future.succeededFuture(auth);
      }
      if (fetching != null) {
        return fetching;
      }
      Future<List<JsonObject>> jwks = policy.jwksUrl() == null ? Future.succeededFuture(List.of()) : fetchJwks();
      fetching = jwks.map(keys -> {
        auth = build(keys);
        return auth;
      }).recover(e -> {
        LOG.warn("Cannot fetch the JWKS {}: {}", policy.jwksUrl(), e.getMessage());
        return auth != null ? Future.succeededFuture(auth) : Future.failedFuture(
            new Rejection(503, "authentication unavailable", "The site's token keys cannot be fetched", null, null));
      }).andThen(ar -> {
        fetchedAt = System.currentTimeMillis();
        fetching = null;
      });
      return fetching;
    }

    private Future<List<JsonObject>> fetchJwks() {
      return client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(policy.jwksUrl())
              .setTimeout(JWKS_TIMEOUT_MS))
          .compose(request -> request.send())
          .compose(response -> response.statusCode() == 200 ? response.body()
              : Future.failedFuture("HTTP " + response.statusCode()))
          .map(body -> {
            if (body.length() > MAX_JWKS_BYTES) {
              throw new IllegalArgumentException("JWKS larger than " + MAX_JWKS_BYTES + " bytes");
            }
            JsonArray keys = new JsonObject(body).getJsonArray("keys", new JsonArray());
            return keys.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast).toList();
          });
    }

    private JWTAuth build(List<JsonObject> jwks) {
      JWTAuthOptions options = new JWTAuthOptions().setJwks(jwks);
      policy.keys().forEach(key -> options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(key.alg())
          .setBuffer(key.secret() != null ? key.secret() : key.publicKey())));
      JWTOptions checks = new JWTOptions();
      if (policy.issuer() != null) {
        checks.setIssuer(policy.issuer());
      }
      if (policy.audience() != null) {
        checks.setAudience(List.of(policy.audience()));
      }
      return JWTAuth.create(vertx, options.setJWTOptions(checks));
    }
  }
}
