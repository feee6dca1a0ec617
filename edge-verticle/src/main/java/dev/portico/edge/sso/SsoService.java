package dev.portico.edge.sso;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.portico.contract.SecretBox;
import dev.portico.edge.LogSafe;
import dev.portico.edge.pipeline.Answer;
import dev.portico.edge.pipeline.ClientRequest;
import dev.portico.edge.policy.JwtGuard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Single sign-on at the edge, for the SSO filters of every site of one edge verticle: the
 * providers, the sign-in flow ({@link SignIn}), the sessions in Redis, sign-out, and the renewal
 * of sessions with the provider's refresh token — in the background, once the ID token has
 * expired, never holding up the request that noticed, and at most once per
 * {@link #RENEWAL_BACKOFF} per session and edge instance.
 */
public final class SsoService {

  private static final Logger LOG = LoggerFactory.getLogger(SsoService.class);
  /** How long a session is not renewed again after an attempt (so a failing provider is not asked per request). */
  static final Duration RENEWAL_BACKOFF = Duration.ofSeconds(30);

  private final Providers providers;
  private final SsoStore store;
  private final IdpHttp http;
  private final SignIn signIn;
  private final Cache<String, Boolean> renewals = Caffeine.newBuilder().maximumSize(10_000)
      .expireAfterWrite(RENEWAL_BACKOFF).executor(Runnable::run).build();

  public SsoService(Vertx vertx, HttpClient client, Redis redis, SecretBox secrets, JwtGuard tokens,
      long sessionTtlSeconds) {
    this.http = new IdpHttp(vertx, client);
    this.providers = new Providers(redis, secrets, http);
    this.store = new SsoStore(redis, secrets, sessionTtlSeconds);
    this.signIn = new SignIn(providers, store, http, tokens);
  }

  /** The session the request's cookie names on this host, or {@code null}; renews it in the background when due. */
  public Future<Session> session(ClientRequest request) {
    String id = SsoPaths.cookie(request.headers(), SsoPaths.SESSION_COOKIE);
    if (!SsoStore.isRandomId(id)) {
      return Future.succeededFuture(null);
    }
    return store.session(id).map(session -> {
      if (session == null || !request.host().equals(session.host())) {
        return null;
      }
      if (session.refreshToken() != null && System.currentTimeMillis() >= session.refreshAt()) {
        renew(id, session);
      }
      return session;
    });
  }

  /** The redirect to sign in through {@code provider}, back to {@code returnTo} afterwards. */
  public Future<Answer> signIn(ClientRequest request, String provider, String returnTo) {
    return signIn.start(request, provider, returnTo);
  }

  /** Answers a request to one of the {@link SsoPaths} ({@code provider}: the site's, for the sign-in path). */
  public Future<Answer> endpoint(ClientRequest request, String provider) {
    return switch (request.path().path()) {
      case SsoPaths.CALLBACK -> signIn.callback(request);
      case SsoPaths.LOGOUT -> logout(request);
      case SsoPaths.LOGIN -> signIn.start(request, provider, SsoPaths.parameter(request.path().query(), "return"));
      default -> Future.succeededFuture(SsoPages.page(404, "Not found", "No such sign-in page.", false));
    };
  }

  /** Ends the session here and, when the provider offers end-session, at the provider too. */
  private Future<Answer> logout(ClientRequest request) {
    String id = SsoPaths.cookie(request.headers(), SsoPaths.SESSION_COOKIE);
    String cleared = SsoPaths.setCookie(SsoPaths.SESSION_COOKIE, "", "/", 0, request.secure());
    Answer signedOut = SsoPages.page(200, "Signed out", "You are signed out of " + request.host() + ".", false)
        .header(HttpHeaders.SET_COOKIE, cleared);
    if (!SsoStore.isRandomId(id)) {
      return Future.succeededFuture(signedOut);
    }
    return store.session(id).recover(e -> Future.succeededFuture(null))
        .compose(session -> store.endSession(id).map(session))
        .compose(session -> session == null ? Future.succeededFuture(signedOut)
            : providers.get(session.provider()).map(provider -> {
              if (provider.endpoints().endSession() == null) {
                return signedOut;
              }
              Map<String, String> query = new LinkedHashMap<>();
              query.put("client_id", provider.clientId());
              query.put("id_token_hint", session.idToken());
              query.put("post_logout_redirect_uri", SignIn.origin(request) + "/");
              return SsoPages.redirect(SignIn.withQuery(provider.endpoints().endSession(), query))
                  .header(HttpHeaders.SET_COOKIE, cleared);
            }).recover(e -> Future.succeededFuture(signedOut)));
  }

  /**
   * Trades the refresh token for new tokens; a provider that refuses it has ended the session
   * (it ends here too), one that cannot be reached leaves it as it is until next time.
   */
  private void renew(String id, Session session) {
    if (renewals.asMap().putIfAbsent(id, Boolean.TRUE) != null) {
      return;
    }
    providers.get(session.provider()).compose(provider -> {
      Map<String, String> form = new LinkedHashMap<>();
      form.put("grant_type", "refresh_token");
      form.put("refresh_token", session.refreshToken());
      form.put("client_id", provider.clientId());
      return http.postForm(provider.endpoints().token(), provider.clientId(), provider.clientSecret(), form)
          .compose(reply -> {
            if (reply.status() == 400 || reply.status() == 401) {
              LOG.info("SSO session of {} on {} ended: the provider refused its refresh token",
                  LogSafe.of(session.user()), session.host());
              return store.endSession(id);
            }
            JsonObject tokens = reply.json();
            if (reply.status() != 200 || tokens == null || !(tokens.getValue("id_token") instanceof String idToken)) {
              return Future.failedFuture("the token endpoint answered HTTP " + reply.status());
            }
            return signIn.verify(provider, idToken, null).compose(claims -> {
              Identity renewed = Identity.of(claims, provider.record().groupsClaim());
              if (!renewed.subject().equals(session.subject())) {  // OIDC Core 12.2: the same end user, or none
                return store.endSession(id);
              }
              return store.renewSession(id, session.renewed(renewed, idToken, SignIn.refreshToken(tokens),
                  SignIn.refreshAt(claims)));
            });
          });
    }).onFailure(e -> LOG.warn("SSO session of {} on {} not renewed: {}", LogSafe.of(session.user()), session.host(),
        LogSafe.of(e.getMessage())));
  }
}
