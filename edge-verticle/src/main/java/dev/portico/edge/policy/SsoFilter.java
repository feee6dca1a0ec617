package dev.portico.edge.policy;

import dev.portico.contract.FieldSyntax;
import dev.portico.contract.SsoPolicy;
import dev.portico.edge.LogSafe;
import dev.portico.edge.pipeline.Answer;
import dev.portico.edge.pipeline.ClientRequest;
import dev.portico.edge.pipeline.FilterContext;
import dev.portico.edge.pipeline.SiteFilter;
import dev.portico.edge.pipeline.Step;
import dev.portico.edge.sso.Session;
import dev.portico.edge.sso.SsoPages;
import dev.portico.edge.sso.SsoPaths;
import dev.portico.edge.sso.SsoService;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.StringJoiner;

/**
 * A site's (or route's) {@code sso}: a visitor needs a session ({@link SsoService}) whose identity
 * passes the allow-lists. Without one, a browser's navigation is redirected to sign in and back;
 * any other request gets 401. The edge's own paths ({@link SsoPaths}) are answered here. The
 * backend gets the identity ({@link #USER_HEADERS}, and the site's claim headers) and never the
 * client's copies of those headers, nor the edge's cookies; and no backend sets the edge's cookies
 * (its {@code Set-Cookie} fields naming them are dropped). Behind a TLS-terminating balancer among
 * the site's {@code trustedProxies}, the scheme is the one its {@code X-Forwarded-Proto} names
 * ({@link FilterContext#clientSecure}): the redirect URI's, and the cookies' names and {@code Secure}.
 *
 * <p>Built in one of two ways: guarding (the site's or route's own {@code sso}), or answering the
 * edge's paths only — on a site whose routes have {@code sso} but which has none itself, so that
 * the callback on {@code /.portico/auth/} is served whichever route asked for the sign-in.
 */
final class SsoFilter implements SiteFilter {

  private static final Logger LOG = LoggerFactory.getLogger(SsoFilter.class);
  /** The identity headers every backend behind SSO gets: user name, e-mail, groups. */
  static final List<String> USER_HEADERS = List.of("X-Portico-User", "X-Portico-Email", "X-Portico-Groups");
  private static final int MAX_HEADER_CHARS = 4096;

  private final SsoService service;
  private final SsoPolicy policy;
  private final boolean guards;

  SsoFilter(SsoService service, SsoPolicy policy, boolean guards) {
    this.service = service;
    this.policy = policy;
    this.guards = guards;
  }

  @Override
  public Step onRequest(FilterContext context) {
    ClientRequest request = asClientSaw(context);
    if (request.path().path().startsWith(SsoPaths.PREFIX)) {
      return Step.later(service.endpoint(request, policy, guards).map(Step::answer));
    }
    if (!guards) {
      return Step.PASS;
    }
    return Step.later(service.session(request)
        .compose(session -> admit(context, request, session))
        .recover(e -> {
          LOG.warn("503 for {}: SSO sessions unavailable: {}", request.host(), e.getMessage());
          return Future.succeededFuture(Step.answer(SsoPages.page(503, "Sign-in unavailable",
              "Sessions cannot be checked right now; try again shortly.", false)));
        }));
  }

  /** The request with the scheme the client used ({@link FilterContext#clientSecure}). */
  static ClientRequest asClientSaw(FilterContext context) {
    ClientRequest request = context.request();
    boolean secure = context.clientSecure();
    return secure == request.secure() ? request : new ClientRequest(request.method(), request.host(), request.path(),
        request.headers(), secure, request.peer(), request.authority());
  }

  private Future<Step> admit(FilterContext context, ClientRequest request, Session session) {
    if (session == null || !session.provider().equals(policy.provider())) {
      if (SsoPaths.isBrowserNavigation(request.method().name(), request.headers())) {
        return service.signIn(request, policy.provider(), request.path().target(), policy).map(Step::answer);
      }
      return Future.succeededFuture(Step.answer(Answer.error(401, "unauthorized", "Sign in at " + SsoPaths.LOGIN)
          .header("WWW-Authenticate", "Portico-SSO realm=\"" + request.host() + "\", login=\"" + SsoPaths.LOGIN + "\"")));
    }
    if (!policy.allows(session.user(), session.email(), session.groups())) {
      String account = session.email() == null ? session.user() : session.user() + " (" + session.email() + ")";
      LOG.info("403 for {}: {} is not allowed", request.host(), LogSafe.of(account));
      return Future.succeededFuture(Step.answer(SsoPages.page(403, "Access denied",
          "The account " + account + " is not allowed on " + request.host() + ".", true)));
    }
    context.attach(this, session);
    return Future.succeededFuture(Step.PASS);
  }

  @Override
  public void onBackendRequest(FilterContext context, MultiMap headers) {
    USER_HEADERS.forEach(headers::remove);
    policy.claimHeaders().values().forEach(headers::remove);
    List<String> cookies = headers.getAll("cookie");
    if (!cookies.isEmpty()) {
      headers.remove("cookie");
      cookies.stream().map(SsoPaths::withoutOwnCookies).filter(field -> field != null).forEach(field -> headers.add("cookie", field));
    }
    if (!(context.attached(this) instanceof Session session)) {
      return;
    }
    put(headers, "X-Portico-User", session.user());
    put(headers, "X-Portico-Email", session.email());
    put(headers, "X-Portico-Groups", String.join(",", session.groups()));
    policy.claimHeaders().forEach((claim, header) -> {
      Object value = session.claims() == null ? null : session.claims().getValue(claim);
      if (value instanceof JsonArray array) {
        StringJoiner joined = new StringJoiner(",");
        array.forEach(item -> joined.add(String.valueOf(item)));
        put(headers, header, joined.toString());
      } else if (value instanceof String || value instanceof Number || value instanceof Boolean) {
        put(headers, header, value.toString());
      }
    });
  }

  /** Drops the backend's {@code Set-Cookie} fields that set the edge's cookies: a backend plants no session. */
  @Override
  public void onResponse(FilterContext context) {
    MultiMap headers = context.responseHeaders();
    if (headers == null) {
      return;
    }
    List<String> setCookies = headers.getAll("set-cookie");
    if (setCookies.stream().anyMatch(SsoPaths::setsOwnCookie)) {
      headers.remove("set-cookie");
      setCookies.stream().filter(field -> !SsoPaths.setsOwnCookie(field)).forEach(field -> headers.add("set-cookie", field));
      LOG.info("{}: a Set-Cookie of the edge's SSO cookies from the backend dropped", context.request().host());
    }
  }

  /** Sets a header when the value is printable text of a bounded length (no header injection through a claim). */
  private static void put(MultiMap headers, String name, String value) {
    if (value != null && !value.isEmpty() && value.length() <= MAX_HEADER_CHARS && FieldSyntax.isFieldValue(value)) {
      headers.set(name, value);
    }
  }
}
