package dev.portico.admin;

import dev.portico.admin.Api.Reply;
import dev.portico.contract.DomainPattern;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /api/v1/users/{username}/grants}: the roles a user holds per domain, managed by admins
 * only. {@code PUT .../grants/{domain}} with {@code {"role": "manager"}} lets the user create sites
 * inside {@code domain} (see {@link SiteClaims}); {@code DELETE} revokes it.
 */
final class GrantsApi {

  private final Grants grants;
  private final Users users;
  private final RequestBodies bodies;

  GrantsApi(Grants grants, Users users, RequestBodies bodies) {
    this.grants = grants;
    this.users = users;
    this.bodies = bodies;
  }

  void mount(Router router) {
    router.get("/api/v1/users/:username/grants").handler(Api.handle(this::list));
    router.get("/api/v1/users/:username/grants/:domain").handler(Api.handle(this::read));
    router.put("/api/v1/users/:username/grants/:domain").handler(Api.handle(this::write));
    router.delete("/api/v1/users/:username/grants/:domain").handler(Api.handle(this::delete));
  }

  private Future<Reply> list(RoutingContext context) {
    Api.principal(context).requireAdmin();
    String username = context.pathParam("username");
    return users.find(username).compose(user -> user == null
        ? Future.failedFuture(ApiError.notFound("no user " + username))
        : grants.ofUser(username).compose(items -> Reply.ok(Api.page(new JsonArray(items), null))));
  }

  private Future<Reply> read(RoutingContext context) {
    Api.principal(context).requireAdmin();
    String username = context.pathParam("username");
    DomainPattern domain = domain(context);
    return grants.find(username, domain).compose(grant -> grant != null ? Reply.ok(grant)
        : Future.failedFuture(ApiError.notFound("user " + username + " has no grant for " + domain)));
  }

  private Future<Reply> write(RoutingContext context) {
    Principal principal = Api.principal(context);
    principal.requireAdmin();
    principal.requireWrite();
    String username = context.pathParam("username");
    DomainPattern domain = domain(context);
    JsonObject body = bodies.parse(context, "GrantChange");
    Grants.Role role = Grants.Role.fromJson(body.getString("role"));
    return grants.put(principal.username(), username, domain, role).compose(created -> grants.find(username, domain)
        .compose(grant -> created ? Reply.created(grant) : Reply.ok(grant)));
  }

  private Future<Reply> delete(RoutingContext context) {
    Principal principal = Api.principal(context);
    principal.requireAdmin();
    principal.requireWrite();
    return grants.delete(principal.username(), context.pathParam("username"), domain(context))
        .compose(v -> Reply.noContent());
  }

  /** The domain in the path: a host name, no wildcard (a grant covers every name under it). */
  private static DomainPattern domain(RoutingContext context) {
    DomainPattern domain;
    try {
      domain = DomainPattern.parse(context.pathParam("domain"));
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("domain", e.getMessage());
    }
    if (domain.isWildcard()) {
      throw ApiError.badRequest("domain", "a grant is for a domain without wildcards: it covers every name under it");
    }
    return domain;
  }
}
