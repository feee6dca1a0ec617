package dev.portico.admin;

import dev.portico.admin.Api.Reply;
import dev.portico.admin.Grants.Scope;
import dev.portico.admin.Grants.Subject;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Function;

/**
 * {@code /api/v1/users/{username}/grants} and {@code /api/v1/groups/{group}/grants}: the role a
 * subject holds per scope, managed by global admins only. {@code PUT .../grants/{scope}} with
 * {@code {"role": "viewer" | "manager" | "admin"}}, where the scope is {@code global} or a domain
 * (which covers every name under it); {@code DELETE} revokes it. Each change is audited.
 */
final class GrantsApi {

  private final Grants grants;
  private final Records records;
  private final RequestBodies bodies;

  GrantsApi(Grants grants, Records records, RequestBodies bodies) {
    this.grants = grants;
    this.records = records;
    this.bodies = bodies;
  }

  void mount(Router router) {
    mount(router, "/api/v1/users/:subject/grants", context -> Subject.user(context.pathParam("subject")));
    mount(router, "/api/v1/groups/:subject/grants", context -> Subject.group(context.pathParam("subject")));
  }

  private void mount(Router router, String base, Function<RoutingContext, Subject> subject) {
    router.get(base).handler(Api.handle(context -> list(context, subject.apply(context))));
    router.get(base + "/:scope").handler(Api.handle(context -> read(context, subject.apply(context))));
    router.put(base + "/:scope").handler(Api.handle(context -> write(context, subject.apply(context))));
    router.delete(base + "/:scope").handler(Api.handle(context -> delete(context, subject.apply(context))));
  }

  private Future<Reply> list(RoutingContext context, Subject subject) {
    Api.principal(context).requireGlobalAdmin();
    return records.get(subject.recordKey()).compose(stored -> stored == null
        ? Future.failedFuture(ApiError.notFound("no " + subject))
        : grants.of(subject).compose(items -> Reply.ok(Api.page(new JsonArray(items), null))));
  }

  private Future<Reply> read(RoutingContext context, Subject subject) {
    Api.principal(context).requireGlobalAdmin();
    Scope scope = Scope.fromPath(context.pathParam("scope"));
    return grants.find(subject, scope).compose(grant -> grant != null ? Reply.ok(grant)
        : Future.failedFuture(ApiError.notFound(subject + " has no grant at " + scope)));
  }

  private Future<Reply> write(RoutingContext context, Subject subject) {
    Principal principal = Api.principal(context);
    principal.requireGlobalAdmin();
    principal.requireWrite();
    Scope scope = Scope.fromPath(context.pathParam("scope"));
    JsonObject body = bodies.parse(context, "GrantChange");
    Role role = Role.fromJson(body.getString("role"));
    return grants.put(principal.username(), subject, scope, role).compose(created -> grants.find(subject, scope)
        .compose(grant -> created ? Reply.created(grant) : Reply.ok(grant)));
  }

  private Future<Reply> delete(RoutingContext context, Subject subject) {
    Principal principal = Api.principal(context);
    principal.requireGlobalAdmin();
    principal.requireWrite();
    return grants.delete(principal.username(), subject, Scope.fromPath(context.pathParam("scope")))
        .compose(v -> Reply.noContent());
  }
}
