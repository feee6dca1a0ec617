package dev.portico.admin;

import dev.portico.admin.Api.Reply;
import dev.portico.contract.AdminKeys;
import dev.portico.contract.DomainPattern;
import dev.portico.contract.IndexKeys;
import dev.portico.contract.InvalidSiteException;
import dev.portico.contract.RedisKeys;
import dev.portico.contract.SecretBox;
import dev.portico.contract.Site;
import dev.portico.contract.SiteLimits;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code /api/v1/sites}: list (by name, filtered by prefix, paged), read, write, delete. A write
 * is validated whole, stored with its indexes and audit entry atomically, and published on
 * {@link RedisKeys#SITE_CHANGES_CHANNEL} so every node routes by it at once. A {@code user}
 * sees and writes only the sites it owns; others' sites answer 404 as if they did not exist. What
 * a user may newly claim is decided by {@link SiteClaims}; what a wildcard site with {@code tls: auto}
 * needs for its certificate by {@link WildcardCertificates}.
 */
final class SitesApi {

  /** What a read shows instead of a basic-auth password hash. */
  static final String HIDDEN = "(hidden)";

  private final Records records;
  private final RequestBodies bodies;
  private final WildcardCertificates wildcards;
  private final BasicAuthPasswords basicAuthPasswords;
  private final SiteClaims claims;
  private final TenantTargets tenantTargets;
  private final SecretBox box;

  SitesApi(Records records, RequestBodies bodies, WildcardCertificates wildcards, PasswordPool hashing,
      SiteClaims claims, TenantTargets tenantTargets, SecretBox box) {
    this.box = box;
    this.basicAuthPasswords = new BasicAuthPasswords(hashing);
    this.claims = claims;
    this.tenantTargets = tenantTargets;
    this.wildcards = wildcards;
    this.records = records;
    this.bodies = bodies;
  }

  void mount(Router router) {
    router.get("/api/v1/sites").handler(Api.handle(this::list));
    router.get("/api/v1/sites/:pattern").handler(Api.handle(this::read));
    router.put("/api/v1/sites/:pattern").handler(Api.handle(this::write));
    router.delete("/api/v1/sites/:pattern").handler(Api.handle(this::delete));
  }

  private Future<Reply> list(RoutingContext context) {
    Principal principal = Api.principal(context);
    // a global role sees every site, a caller with none only the sites it owns; with domain roles
    // the whole index is read a page at a time, and a page may hold fewer sites than the limit
    boolean everySite = principal.hasGlobal(Role.VIEWER) || !principal.permissions().domains().isEmpty();
    String index = everySite ? IndexKeys.SITE_INDEX : IndexKeys.sitesByOwner(principal.username());
    String prefix = lower(context.queryParams().get("prefix"));
    return records.page(index, prefix, lower(context.queryParams().get("after")), Api.limit(context))
        .compose(page -> records.getAll(page.items().stream().map(RedisKeys::site).toList()).compose(values -> {
          JsonArray items = new JsonArray();
          for (int i = 0; i < values.size(); i++) {
            if (values.get(i) != null && principal.mayRead(page.items().get(i), values.get(i))) {
              items.add(entry(page.items().get(i), values.get(i)));
            }
          }
          return Reply.ok(Api.page(items, page.next()));
        }));
  }

  private Future<Reply> read(RoutingContext context) {
    String pattern = pattern(context);
    return visible(Api.principal(context), pattern).compose(stored -> {
      if (stored == null) {
        return Future.failedFuture(ApiError.notFound("no site " + pattern));
      }
      return Reply.ok(entry(pattern, stored));
    });
  }

  private Future<Reply> write(RoutingContext context) {
    Principal principal = Api.principal(context);
    principal.requireWrite();
    return put(principal, pattern(context), bodies.parse(context, "Site"));
  }

  /**
   * Creates or replaces site {@code pattern} (canonical) with {@code body} (valid against the
   * {@code Site} schema) for {@code principal}, who may write: every check, the atomic write
   * with its indexes, change notification and audit entry. Also what each item of an import does.
   */
  Future<Reply> put(Principal principal, String pattern, JsonObject body) {
    return records.get(RedisKeys.site(pattern)).compose(current -> {
      String previousOwner = current == null ? null : ownerOf(current);
      if (current != null && !principal.mayManage(pattern, current)) {
        return Future.failedFuture(principal.mayRead(pattern, current)
            ? ApiError.forbidden("managing site " + pattern + " needs the manager role at its domain")
            : ApiError.forbidden("site " + pattern + " belongs to another user"));
      }
      JsonObject requested = body.copy().put("owner", owner(principal, pattern, body.getString("owner"), current,
          previousOwner));
      return ownerExists(requested.getString("owner")).compose(v -> claims.check(principal, pattern,
              Boolean.TRUE.equals(requested.getValue("includeApex")), current))
          .compose(v -> hashBasicAuthPasswords(requested, current)).compose(withHashes -> {
        Site site;
        try {
          site = Site.fromJson(withHashes);
        } catch (InvalidSiteException e) {
          return Future.failedFuture(ApiError.badRequest(e.field(), e.getMessage()));
        }
        if (!principal.isGlobalAdmin()) {
          tenantTargets.check(site);
        }
        SsoProvidersApi.checkSiteProviders(principal, site, current);
        JsonObject stored = site.toJson();
        SiteSecrets.sealClientKey(stored, box, RedisKeys.site(pattern));
        String json = stored.encode();
        if (json.length() > SiteLimits.MAX_JSON_CHARS) {
          return Future.failedFuture(ApiError.badRequest(null, "the site as stored (password hashes, defaults filled in)"
              + " is longer than " + SiteLimits.MAX_JSON_CHARS + " characters"));
        }
        boolean dns01 = pattern.startsWith("*.") && site.tls() == Site.TlsMode.AUTO;
        return (dns01 ? wildcards.requireDnsProvider(pattern.substring(2)) : Future.<Void>succeededFuture())
            .compose(v -> store(principal, pattern, current, previousOwner, json, site.owner()))
            .onSuccess(created -> {
              if (dns01) {
                wildcards.askUnlessCovered(pattern, site.includeApex());
              }
            })
            .compose(created -> created ? Reply.created(entry(pattern, json)) : Reply.ok(entry(pattern, json)));
      });
    });
  }

  /**
   * The owner a write stores: whoever an admin of the site's domain names; else the site's owner so
   * far, or for a new site the caller (none for an OIDC sign-in, which has no local user).
   */
  private static String owner(Principal principal, String pattern, String asked, String current, String previousOwner) {
    if (principal.has(Role.ADMIN, pattern)) {
      return asked;
    }
    String kept = current != null ? previousOwner : principal.local() ? principal.username() : null;
    if (asked != null && !asked.equals(kept)) {
      throw ApiError.forbidden("only an admin of the site's domain chooses a site's owner");
    }
    return kept;
  }

  private Future<Void> ownerExists(String owner) {
    return owner == null ? Future.succeededFuture()
        : records.get(AdminKeys.user(owner)).compose(user -> user != null ? Future.succeededFuture()
            : Future.failedFuture(ApiError.badRequest("owner", "no user " + owner)));
  }

  /** The site with JWT secrets sent back as {@link #HIDDEN} restored, and basic-auth passwords hashed. */
  private Future<JsonObject> hashBasicAuthPasswords(JsonObject site, String current) {
    SiteSecrets.restoreJwtSecrets(site, current);
    SiteSecrets.restoreClientKey(site, current);
    return basicAuthPasswords.resolve(site, current);
  }

  private Future<Boolean> store(Principal principal, String pattern, String current, String previousOwner,
      String json, String owner) {
    List<Records.IndexOp> indexes = new ArrayList<>();
    indexes.add(new Records.IndexOp(IndexKeys.SITE_INDEX, pattern, true));
    indexes.add(new Records.IndexOp(IndexKeys.SITE_SUFFIX_INDEX, SiteSuffixIndex.reversed(pattern), true));
    if (previousOwner != null && !previousOwner.equals(owner)) {
      indexes.add(new Records.IndexOp(IndexKeys.sitesByOwner(previousOwner), pattern, false));
    }
    if (owner != null) {
      indexes.add(new Records.IndexOp(IndexKeys.sitesByOwner(owner), pattern, true));
    }
    return records.write(new Records.Write(RedisKeys.site(pattern), current, json, indexes,
            RedisKeys.SITE_CHANGES_CHANNEL, pattern,
            new Records.Audit(principal.username(), current == null ? "site.create" : "site.update",
                "site:" + pattern, current == null ? "" : maskedText(current), maskedText(json))))
        .map(current == null);
  }

  private Future<Reply> delete(RoutingContext context) {
    Principal principal = Api.principal(context);
    principal.requireWrite();
    String pattern = pattern(context);
    return visible(principal, pattern).compose(current -> {
      if (current == null) {
        return Future.failedFuture(ApiError.notFound("no site " + pattern));
      }
      if (!principal.mayManage(pattern, current)) {
        return Future.failedFuture(ApiError.forbidden("deleting site " + pattern + " needs the manager role at its domain"));
      }
      List<Records.IndexOp> indexes = new ArrayList<>();
      indexes.add(new Records.IndexOp(IndexKeys.SITE_INDEX, pattern, false));
      indexes.add(new Records.IndexOp(IndexKeys.SITE_SUFFIX_INDEX, SiteSuffixIndex.reversed(pattern), false));
      String owner = new JsonObject(current).getString("owner");
      if (owner != null) {
        indexes.add(new Records.IndexOp(IndexKeys.sitesByOwner(owner), pattern, false));
      }
      return records.write(new Records.Write(RedisKeys.site(pattern), current, null, indexes,
          RedisKeys.SITE_CHANGES_CHANNEL, pattern,
          new Records.Audit(principal.username(), "site.delete", "site:" + pattern, maskedText(current), "")));
    }).compose(v -> Reply.noContent());
  }

  /** The stored site if {@code principal} may see it, else {@code null}. */
  Future<String> visible(Principal principal, String pattern) {
    return records.get(RedisKeys.site(pattern)).map(stored -> stored == null || principal.mayRead(pattern, stored)
        ? stored : null);
  }

  static String ownerOf(String stored) {
    try {
      return new JsonObject(stored).getString("owner");
    } catch (RuntimeException invalid) {
      return null;
    }
  }

  /** The canonical pattern in the path; 400 naming {@code pattern} when it is not one. */
  static String pattern(RoutingContext context) {
    return canonicalPattern(context.pathParam("pattern"));
  }

  /** The canonical form of a pattern; 400 naming {@code pattern} when it is not one. */
  static String canonicalPattern(String raw) {
    try {
      return DomainPattern.parse(raw).text();
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("pattern", e.getMessage());
    }
  }

  private static JsonObject entry(String pattern, String stored) {
    return new JsonObject().put("pattern", pattern).put("site", masked(stored));
  }

  private static String maskedText(String stored) {
    Object masked = masked(stored);
    return masked instanceof JsonObject site ? site.encode() : stored;
  }

  /** A site as the API shows it: basic-auth password hashes and JWT secrets replaced by {@link #HIDDEN}. */
  private static Object masked(String stored) {
    return SiteSecrets.masked(stored);
  }

  private static String lower(String value) {
    return value == null ? null : value.toLowerCase(Locale.ROOT);
  }
}
