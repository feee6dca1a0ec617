package dev.portico.edge.sso;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.portico.contract.SecretBox;
import dev.portico.contract.SsoPolicy;
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
import java.util.List;
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

  /**
   * The session a session cookie of the request names on this host, or {@code null}; renews it in
   * the background when due. Every value of the cookie is tried, in order: one planted beside the
   * edge's (by a parent domain, for another path) does not hide it.
   */
  public Future<Session> session(ClientRequest request) {
    return session(request, SsoPaths.cookies(request.headers(), SsoPaths.sessionCookie(request.secure())), 0)
        .map(found -> {
          if (found == null) {
            return null;
          }
          Session session = found.session();
          if (session.refreshToken() != null && System.currentTimeMillis() >= session.refreshAt()) {
            renew(found.id(), session);
          }
          return session;
        });
  }

  private record Found(String id, Session session) {
  }

  /** The first of {@code ids}, from {@code index} on, naming a session on the request's host. */
  private Future<Found> session(ClientRequest request, List<String> ids, int index) {
    for (int i = index; i < ids.size(); i++) {
      String id = ids.get(i);
      if (SsoStore.isRandomId(id)) {
        int next = i + 1;
        return store.session(id).compose(session -> session != null && request.host().equals(session.host())
            ? Future.succeededFuture(new Found(id, session)) : session(request, ids, next));
      }
    }
    return Future.succeededFuture(null);
  }

  /**
   * The redirect to sign in through {@code provider}, back to {@code returnTo} afterwards; no
   * session unless the identity passes {@code allowed}'s allow-lists ({@code null}: no lists checked).
   */
  public Future<Answer> signIn(ClientRequest request, String provider, String returnTo, SsoPolicy allowed) {
    return signIn.start(request, provider, returnTo, allowed);
  }

  /**
   * Answers a request to one of the {@link SsoPaths} ({@code policy}: the site's or route's, for the
   * sign-in path; {@code guards}: whether it is the one of the page, whose allow-lists the sign-in checks).
   */
  public Future<Answer> endpoint(ClientRequest request, SsoPolicy policy, boolean guards) {
    return switch (request.path().path()) {
      case SsoPaths.CALLBACK -> signIn.callback(request);
      case SsoPaths.LOGOUT -> logout(request);
      case SsoPaths.LOGIN -> signIn.start(request, policy.provider(), SsoPaths.parameter(request.path().query(), "return"),
          guards ? policy : null);
      default -> Future.succeededFuture(SsoPages.page(404, "Not found", "No such sign-in page.", false));
    };
  }

  /**
   * Ends the sessions the request's cookies name on this host and, when the provider offers
   * end-session, the provider's too — on a POST from the site itself only (no sign-out forced by
   * another site, a sibling subdomain's included: {@link SsoPaths#sameOrigin}); a GET shows a
   * button that posts here.
   */
  private Future<Answer> logout(ClientRequest request) {
    if (!"POST".equals(request.method().name())) {
      return Future.succeededFuture(SsoPages.signOutPage(request.host()).header(HttpHeaders.ALLOW, "GET, HEAD, POST"));
    }
    if (!SsoPaths.sameOrigin(request.headers(), request.secure(), request.authority())) {
      return Future.succeededFuture(SsoPages.page(403, "Sign-out refused",
          "Signing out is done from " + request.host() + " itself.", true));
    }
    String cleared = SsoPaths.setCookie(SsoPaths.sessionCookie(request.secure()), "", "/", 0, request.secure());
    Answer signedOut = SsoPages.page(200, "Signed out", "You are signed out of " + request.host() + ".", false)
        .header(HttpHeaders.SET_COOKIE, cleared);
    return endSessions(request, SsoPaths.cookies(request.headers(), SsoPaths.sessionCookie(request.secure())), 0, null)
        .compose(session -> session == null ? Future.succeededFuture(signedOut)
            : providers.get(session.provider()).map(provider -> {
              if (provider.endpoints().endSession() == null) {
                return signedOut;
              }
              Map<String, String> query = new LinkedHashMap<>();
              query.put("client_id", provider.clientId());
              query.put("id_token_hint", session.idToken());
              query.put("post_logout_redirect_uri", SignIn.origin(request) + "/");
              return SsoPages.redirect(303, SignIn.withQuery(provider.endpoints().endSession(), query))
                  .header(HttpHeaders.SET_COOKIE, cleared);
            }).recover(e -> Future.succeededFuture(signedOut)));
  }

  /** Ends every session of this host that {@code ids} (from {@code index}) name; the first one ended, or {@code first}. */
  private Future<Session> endSessions(ClientRequest request, List<String> ids, int index, Session first) {
    for (int i = index; i < ids.size(); i++) {
      String id = ids.get(i);
      if (SsoStore.isRandomId(id)) {
        int next = i + 1;
        return store.session(id).recover(e -> Future.succeededFuture(null)).compose(session -> {
          if (session == null || !request.host().equals(session.host())) {
            return endSessions(request, ids, next, first);
          }
          return store.endSession(id).compose(v -> endSessions(request, ids, next, first == null ? session : first));
        });
      }
    }
    return Future.succeededFuture(first);
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
