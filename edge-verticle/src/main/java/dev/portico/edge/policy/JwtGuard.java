package dev.portico.edge.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.portico.contract.JwtPolicy;
import dev.portico.edge.pipeline.Rejection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * JWTs at the edge: a site's {@code jwt} policy checked with Vert.x's JWT provider (signature
 * with the site's keys or its JWKS, expiry, issuer, audience). A token is looked at only when the
 * verifier has at least one key, and only when its header names the algorithm of one of those
 * keys: {@code alg: none}, unsigned tokens and any other algorithm never pass. (Vert.x's provider
 * without keys runs "unsecured" and accepts {@code alg: none}: it is never built without keys; a
 * JWKS without a usable key answers 503.) A verifier is built once per distinct policy and kept;
 * the JWKS ({@link JwksFetcher}) is fetched when first needed, again every {@link #JWKS_TTL_MS},
 * and sooner when a token fails to verify (a rotated key) — at most once per
 * {@link #JWKS_RETRY_MS}, also while no key could be had.
 */
public final class JwtGuard {

  private static final Logger LOG = LoggerFactory.getLogger(JwtGuard.class);
  static final long JWKS_TTL_MS = 600_000;
  static final long JWKS_RETRY_MS = 30_000;

  /** One policy, for an operator's or a tenant's site (whose JWKS host is checked). */
  private record VerifierKey(JwtPolicy policy, boolean tenant, int leewaySeconds) {
  }

  /** A provider and the algorithms of its keys (never empty). */
  private record Keys(JWTAuth auth, Set<String> algorithms) {
  }

  private final Vertx vertx;
  private final JwksFetcher jwks;
  private final Cache<VerifierKey, Verifier> verifiers = Caffeine.newBuilder().maximumSize(1_000)
      .executor(Runnable::run).build();

  public JwtGuard(Vertx vertx, JwksFetcher jwks) {
    this.vertx = vertx;
    this.jwks = jwks;
  }

  /** The token's claims, or a 401 (503 when no key can be had) {@link Rejection}; {@code tenant}: the site has an owner. */
  Future<JsonObject> verify(JwtPolicy policy, boolean tenant, String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.failedFuture(reject("a bearer token is required", null));
    }
    String token = authorization.substring(7).trim();
    return verifiers.get(new VerifierKey(policy, tenant, 0), Verifier::new).verify(token);
  }

  /**
   * An OpenID Connect ID token's claims, or a 401 (503 without keys) {@link Rejection}: signed by a
   * key of the provider's JWKS at {@code jwksUrl} (an operator's provider: not a tenant's address
   * check), issued by {@code issuer} to {@code clientId}, not expired — with {@code leewaySeconds}
   * of clock skew. The JWKS is kept and fetched again as for a site's {@code jwt}: an unknown
   * {@code kid} fetches it at most once per {@link #JWKS_RETRY_MS}.
   */
  public Future<JsonObject> verifyIdToken(String jwksUrl, String issuer, String clientId, String idToken,
      int leewaySeconds) {
    JwtPolicy policy = new JwtPolicy(List.of(), List.of(), jwksUrl, issuer, clientId, java.util.Map.of());
    return verifiers.get(new VerifierKey(policy, false, leewaySeconds), Verifier::new).verify(idToken);
  }

  private static Rejection reject(String detail, String error) {
    return new Rejection(401, "unauthorized", detail, "WWW-Authenticate",
        error == null ? "Bearer realm=\"portico\"" : "Bearer realm=\"portico\", error=\"" + error + "\"");
  }

  /** The {@code alg} of a signed compact JWS (three non-empty parts), else {@code null}. */
  static String signedAlgorithm(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      return null;
    }
    try {
      Object alg = new JsonObject(Buffer.buffer(Base64.getUrlDecoder().decode(parts[0]))).getValue("alg");
      return alg instanceof String text ? text : null;
    } catch (RuntimeException malformed) {
      return null;
    }
  }

  private final class Verifier {

    private final JwtPolicy policy;
    private final boolean tenant;
    private final int leewaySeconds;
    private Keys keys;
    private long fetchedAt;
    private Future<Keys> fetching;

    Verifier(VerifierKey key) {
      this.policy = key.policy();
      this.tenant = key.tenant();
      this.leewaySeconds = key.leewaySeconds();
    }

    Future<JsonObject> verify(String token) {
      String algorithm = signedAlgorithm(token);
      if (algorithm == null) {
        return Future.failedFuture(reject("invalid token: not a signed JWT", "invalid_token"));
      }
      return current(false).compose(current -> check(current, algorithm, token)).recover(e -> {
        if (e instanceof Rejection rejection && rejection.status() == 503 || policy.jwksUrl() == null
            || System.currentTimeMillis() - fetchedAt < JWKS_RETRY_MS) {
          return Future.failedFuture(e);
        }
        return current(true).compose(current -> check(current, algorithm, token));
      });
    }

    private Future<JsonObject> check(Keys current, String algorithm, String token) {
      if (!current.algorithms().contains(algorithm)) {
        return Future.failedFuture(reject("invalid token: no key for its algorithm", "invalid_token"));
      }
      return current.auth().authenticate(new TokenCredentials(token))
          .recover(e -> Future.failedFuture(reject("invalid token: " + e.getMessage(), "invalid_token")))
          .map(user -> user.attributes().getJsonObject("accessToken", new JsonObject()))
          .compose(claims -> claims.getValue("exp") instanceof Number ? Future.succeededFuture(claims)
              : Future.failedFuture(reject("invalid token: no expiry", "invalid_token")));
    }

    /** The provider with the latest keys; fetches the JWKS when due or when {@code refresh}. */
    private Future<Keys> current(boolean refresh) {
      long sinceFetch = System.currentTimeMillis() - fetchedAt;
      boolean due = policy.jwksUrl() != null && (keys == null ? sinceFetch >= JWKS_RETRY_MS
          : refresh || sinceFetch > JWKS_TTL_MS);
      if (keys != null && !due) {
        return Future.succeededFuture(keys);
      }
      if (fetching != null) {
        return fetching;
      }
      if (policy.jwksUrl() != null && !due) {
        return Future.failedFuture(unavailable());  // no key yet, and the last try was moments ago
      }
      Future<List<JwksFetcher.Key>> fetched = policy.jwksUrl() == null ? Future.succeededFuture(List.of())
          : jwks.fetch(policy.jwksUrl(), tenant);
      fetching = fetched.map(this::build).recover(e -> {
        LOG.warn("No usable key from the JWKS {}: {}", policy.jwksUrl(), e.getMessage());
        // The keys had so far, else the site's own keys alone, else none: 503.
        return keys != null ? Future.succeededFuture(keys)
            : policy.keys().isEmpty() ? Future.failedFuture(unavailable()) : Future.succeededFuture(build(List.of()));
      }).andThen(ar -> {
        fetchedAt = System.currentTimeMillis();
        fetching = null;
        if (ar.succeeded()) {
          keys = ar.result();
        }
      });
      return fetching;
    }

    private Keys build(List<JwksFetcher.Key> jwksKeys) {
      Set<String> algorithms = new HashSet<>();
      JWTAuthOptions options = new JWTAuthOptions().setJwks(jwksKeys.stream().map(JwksFetcher.Key::jwk).toList());
      jwksKeys.forEach(key -> algorithms.add(key.algorithm()));
      policy.keys().forEach(key -> {
        options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(key.alg())
            .setBuffer(key.secret() != null ? key.secret() : key.publicKey()));
        algorithms.add(key.alg());
      });
      if (algorithms.isEmpty()) {
        throw new IllegalStateException("the JWKS has no RSA or EC signature key Portico can use");
      }
      JWTOptions checks = new JWTOptions().setLeeway(leewaySeconds);
      if (policy.issuer() != null) {
        checks.setIssuer(policy.issuer());
      }
      if (policy.audience() != null) {
        checks.setAudience(List.of(policy.audience()));
      }
      return new Keys(JWTAuth.create(vertx, options.setJWTOptions(checks)), Set.copyOf(algorithms));
    }

    private static Rejection unavailable() {
      return new Rejection(503, "authentication unavailable", "The site's token keys are unavailable", null, null);
    }
  }
}
