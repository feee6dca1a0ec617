package dev.portico.admin;

import dev.portico.admin.Api.Reply;
import dev.portico.contract.RedisKeys;
import dev.portico.contract.SecretBox;
import dev.portico.contract.Site;
import dev.portico.contract.SsoPolicy;
import dev.portico.contract.SsoProviderRecord;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /api/v1/sso-providers}: the OIDC providers sites sign their visitors in through
 * ({@code "sso": {"provider": <id>}}), for global admins only. The client secret is write-only:
 * sealed in Redis, never returned (a read says whether it is set), absent from the audit. A new
 * issuer or client id needs the secret again: the stored one goes only where it went before.
 */
final class SsoProvidersApi {

  private final Records records;
  private final SecretRecords providers;
  private final RequestBodies bodies;
  private final SecretBox box;

  SsoProvidersApi(Records records, RequestBodies bodies, SecretBox box) {
    this.records = records;
    this.providers = new SecretRecords(records, "SSO provider", "sso-provider", RedisKeys.SSO_PROVIDER_INDEX,
        RedisKeys::ssoProvider, SsoProvidersApi::shown);
    this.bodies = bodies;
    this.box = box;
  }

  void mount(Router router) {
    providers.mount(router, "/api/v1/sso-providers", this::write);
  }

  private Future<Reply> write(RoutingContext context) {
    Principal principal = Api.principal(context);
    principal.requireGlobalAdmin();
    principal.requireWrite();
    String id = SecretRecords.id(context);
    JsonObject body = bodies.parse(context, "SsoProvider");
    String issuer = body.getString("issuer");
    if (SsoProviderRecord.issuerProblem(issuer) != null) {
      throw ApiError.badRequest("issuer", SsoProviderRecord.issuerProblem(issuer));
    }
    String clientId = body.getString("clientId");
    if (!clientId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw ApiError.badRequest("clientId", "a client id is printable ASCII without spaces");
    }
    List<String> scopes = new ArrayList<>(List.of("openid"));
    for (Object scope : body.getJsonArray("scopes", new JsonArray(SsoProviderRecord.DEFAULT_SCOPES))) {
      String text = (String) scope;
      if (!text.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != '\\')) {
        throw ApiError.badRequest("scopes", "a scope is printable ASCII without spaces, quotes or backslashes");
      }
      if (!scopes.contains(text)) {
        scopes.add(text);
      }
    }
    String key = RedisKeys.ssoProvider(id);
    return records.get(key).compose(current -> {
      JsonObject before = current == null ? null : new JsonObject(current);
      String sealed;
      if (body.getString("clientSecret") != null) {
        sealed = box.seal(body.getString("clientSecret"), key);
      } else if (before != null && issuer.equals(before.getString("issuer"))
          && clientId.equals(before.getString("clientId"))) {
        sealed = before.getString("clientSecret");
      } else {
        return Future.failedFuture(ApiError.badRequest("clientSecret",
            "a client secret is required for a new provider, issuer or client id"));
      }
      JsonObject stored = new JsonObject().put("id", id).put("issuer", issuer).put("clientId", clientId)
          .put("clientSecret", sealed).put("scopes", new JsonArray(scopes))
          .put("groupsClaim", body.getString("groupsClaim", "groups")).put("updatedAt", System.currentTimeMillis());
      return providers.write(principal, id, current, stored);
    });
  }

  /**
   * A provider is shared by every site that names it, and its users are signed in to each such
   * site without a prompt once signed in anywhere: only a global admin puts a provider on a site
   * (or a route). Others may keep the providers the stored site already names.
   *
   * @throws ApiError 403 when {@code principal} is no global admin and {@code site} names a
   *                  provider that {@code currentJson} (the stored site, or null) does not
   */
  static void checkSiteProviders(Principal principal, Site site, String currentJson) {
    if (principal.isGlobalAdmin()) {
      return;
    }
    Set<String> kept = new HashSet<>();
    if (currentJson != null) {
      try {
        kept.addAll(providersOf(Site.fromJson(new JsonObject(currentJson))));
      } catch (RuntimeException unreadable) {
        // a stored site that no longer parses keeps no provider
      }
    }
    for (String provider : providersOf(site)) {
      if (!kept.contains(provider)) {
        throw ApiError.forbidden("only a global admin puts single sign-on provider " + provider + " on a site");
      }
    }
  }

  private static Set<String> providersOf(Site site) {
    Set<String> providers = new HashSet<>();
    if (site.policies().sso() != null) {
      providers.add(site.policies().sso().provider());
    }
    for (int i = 0; i < site.routes().size(); i++) {
      SsoPolicy sso = site.routes().get(i).site().policies().sso();
      if (sso != null) {
        providers.add(sso.provider());
      }
    }
    return providers;
  }

  private static JsonObject shown(JsonObject stored) {
    JsonObject shown = stored.copy();
    shown.remove("clientSecret");
    return shown.put("clientSecretSet", stored.getString("clientSecret") != null);
  }
}
