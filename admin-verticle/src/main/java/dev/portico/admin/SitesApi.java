package dev.portico.admin;

import dev.portico.admin.Api.Reply;
import dev.portico.contract.DomainPattern;
import dev.portico.contract.InvalidSiteException;
import dev.portico.contract.RedisKeys;
import dev.portico.contract.Site;
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
 * sees and writes only the sites it owns; others' sites answer 404 as if they did not exist.
 */
final class SitesApi {

  private final Records records;
  private final RequestBodies bodies;

  SitesApi(Records records, RequestBodies bodies) {
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
    String index = principal.isAdmin() ? RedisKeys.SITE_INDEX : RedisKeys.sitesByOwner(principal.username());
    String prefix = lower(context.queryParams().get("prefix"));
    return records.page(index, prefix, lower(context.queryParams().get("after")), Api.limit(context))
        .compose(page -> records.getAll(page.items().stream().map(RedisKeys::site).toList()).compose(values -> {
          JsonArray items = new JsonArray();
          for (int i = 0; i < values.size(); i++) {
            if (values.get(i) != null) {
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
    String pattern = pattern(context);
    JsonObject body = bodies.parse(context, "Site");
    String owner = body.getString("owner");
    if (!principal.isAdmin()) {
      if (owner != null && !owner.equals(principal.username())) {
        throw ApiError.forbidden("a user can only own sites itself");
      }
      owner = principal.username();
    }
    Site site;
    try {
      site = Site.fromJson(body.copy().put("owner", owner));
    } catch (InvalidSiteException e) {
      throw ApiError.badRequest(e.field(), e.getMessage());
    }
    String json = site.toJson().encode();
    Future<Void> ownerExists = site.owner() == null ? Future.succeededFuture()
        : records.get(RedisKeys.user(site.owner())).compose(user -> user != null ? Future.succeededFuture()
            : Future.failedFuture(ApiError.badRequest("owner", "no user " + site.owner())));
    return ownerExists.compose(v -> visible(principal, pattern)).compose(current -> {
      String previousOwner = current == null ? null : new JsonObject(current).getString("owner");
      if (current == null) {
        return records.get(RedisKeys.site(pattern)).compose(hidden -> hidden == null
            ? store(principal, pattern, null, null, json, site.owner())
            : Future.failedFuture(ApiError.forbidden("site " + pattern + " belongs to another user")));
      }
      return store(principal, pattern, current, previousOwner, json, site.owner());
    }).compose(created -> created ? Reply.created(entry(pattern, json)) : Reply.ok(entry(pattern, json)));
  }

  private Future<Boolean> store(Principal principal, String pattern, String current, String previousOwner,
      String json, String owner) {
    List<Records.IndexOp> indexes = new ArrayList<>();
    indexes.add(new Records.IndexOp(RedisKeys.SITE_INDEX, pattern, true));
    if (previousOwner != null && !previousOwner.equals(owner)) {
      indexes.add(new Records.IndexOp(RedisKeys.sitesByOwner(previousOwner), pattern, false));
    }
    if (owner != null) {
      indexes.add(new Records.IndexOp(RedisKeys.sitesByOwner(owner), pattern, true));
    }
    return records.write(new Records.Write(RedisKeys.site(pattern), current, json, indexes,
            RedisKeys.SITE_CHANGES_CHANNEL, pattern,
            new Records.Audit(principal.username(), current == null ? "site.create" : "site.update",
                "site:" + pattern, current == null ? "" : current, json)))
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
      List<Records.IndexOp> indexes = new ArrayList<>();
      indexes.add(new Records.IndexOp(RedisKeys.SITE_INDEX, pattern, false));
      String owner = new JsonObject(current).getString("owner");
      if (owner != null) {
        indexes.add(new Records.IndexOp(RedisKeys.sitesByOwner(owner), pattern, false));
      }
      return records.write(new Records.Write(RedisKeys.site(pattern), current, null, indexes,
          RedisKeys.SITE_CHANGES_CHANNEL, pattern,
          new Records.Audit(principal.username(), "site.delete", "site:" + pattern, current, "")));
    }).compose(v -> Reply.noContent());
  }

  /** The stored site if {@code principal} may see it, else {@code null}. */
  Future<String> visible(Principal principal, String pattern) {
    return records.get(RedisKeys.site(pattern)).map(stored -> stored == null || principal.isAdmin()
        || principal.username().equals(ownerOf(stored)) ? stored : null);
  }

  private static String ownerOf(String stored) {
    try {
      return new JsonObject(stored).getString("owner");
    } catch (RuntimeException invalid) {
      return null;
    }
  }

  /** The canonical pattern in the path; 400 naming {@code pattern} when it is not one. */
  static String pattern(RoutingContext context) {
    try {
      return DomainPattern.parse(context.pathParam("pattern")).text();
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("pattern", e.getMessage());
    }
  }

  private static JsonObject entry(String pattern, String stored) {
    Object site;
    try {
      site = new JsonObject(stored);
    } catch (RuntimeException invalid) {
      site = stored;
    }
    return new JsonObject().put("pattern", pattern).put("site", site);
  }

  private static String lower(String value) {
    return value == null ? null : value.toLowerCase(Locale.ROOT);
  }
}
