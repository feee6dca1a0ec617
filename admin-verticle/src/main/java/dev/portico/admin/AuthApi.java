package dev.portico.admin;

import dev.portico.admin.Api.Reply;
import dev.portico.contract.AdminKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Signing in and out, one's own password, and API tokens for scripts: {@code /api/v1/auth/*}
 * and {@code /api/v1/tokens}. An API token is shown once, when created; Redis keeps only its
 * SHA-256. A user lists and revokes its own tokens, a global admin everyone's. A token acts with
 * its creator's permissions as they are at each request ({@code read}: at most viewer).
 */
final class AuthApi {

  private static final Logger LOG = LoggerFactory.getLogger(AuthApi.class);

  private final Records records;
  private final RequestBodies bodies;
  private final Users users;
  private final Authenticator authenticator;
  private final LoginThrottle throttle;

  AuthApi(Records records, RequestBodies bodies, Users users, Authenticator authenticator, LoginThrottle throttle) {
    this.records = records;
    this.bodies = bodies;
    this.users = users;
    this.authenticator = authenticator;
    this.throttle = throttle;
  }

  /** Routes that need no token: only the login. */
  void mountPublic(Router router) {
    router.post("/api/v1/auth/login").handler(Api.handle(this::login));
  }

  void mount(Router router) {
    router.post("/api/v1/auth/logout").handler(Api.handle(this::logout));
    router.get("/api/v1/auth/me").handler(Api.handle(this::me));
    router.post("/api/v1/auth/password").handler(Api.handle(this::changePassword));
    router.get("/api/v1/tokens").handler(Api.handle(this::listTokens));
    router.post("/api/v1/tokens").handler(Api.handle(this::createToken));
    router.delete("/api/v1/tokens/:id").handler(Api.handle(this::revokeToken));
  }

  private Future<Reply> login(RoutingContext context) {
    JsonObject body = bodies.parse(context, "Login");
    String username = body.getString("username").toLowerCase(java.util.Locale.ROOT);
    String address = context.request().remoteAddress().hostAddress();
    return throttle.reserve(username, address)
        .compose(v -> users.find(username)
            .compose(user -> users.verify(user, body.getString("password")).compose(valid -> {
              if (!valid) {
                LOG.warn("Failed login for user '{}' from {}", Users.NAME.matcher(username).matches() ? username
                    : "(not a user name)", address);
                return Future.failedFuture(ApiError.unauthorized("wrong user name or password"));
              }
              return throttle.succeeded(username, address).compose(x -> Permissions.ofUser(records, username))
                  .compose(permissions -> Reply.ok(authenticator.issue(user).put("user", new JsonObject()
                      .put("username", username).put("role", permissions.global() == Role.ADMIN ? "admin" : "user")
                      .put("permissions", permissions.json()))));
            }))
            .recover(e -> e instanceof ApiError error && error.status() == 401 ? Future.failedFuture(e)
                : throttle.cancelled(username, address).transform(x -> Future.failedFuture(e))));
  }

  private Future<Reply> logout(RoutingContext context) {
    return authenticator.revoke(Api.principal(context)).compose(v -> Reply.noContent());
  }

  private Future<Reply> me(RoutingContext context) {
    Principal principal = Api.principal(context);
    return Reply.ok(new JsonObject().put("id", principal.userId()).put("username", principal.username())
        .put("role", principal.legacyRole()).put("permissions", principal.permissions().json())
        .put("local", principal.local())
        .put("scope", principal.readOnly() ? "read" : "write")
        .put("expiresAt", principal.jti() == null ? null : principal.expiresAtSeconds()));
  }

  private Future<Reply> changePassword(RoutingContext context) {
    Principal principal = Api.principal(context);
    principal.requireWrite();
    JsonObject body = bodies.parse(context, "PasswordChange");
    Users.checkPassword("newPassword", body.getString("newPassword"));
    return users.find(principal.username())
        .compose(user -> users.verify(user, body.getString("currentPassword")).compose(valid -> {
          if (!valid) {
            return Future.failedFuture(ApiError.forbidden("currentPassword is wrong"));
          }
          return users.hash(body.getString("newPassword")).compose(hash ->
              users.update(principal.username(), "user.password", user, user.copy().put("passwordHash", hash)));
        }))
        .compose(v -> Reply.noContent());
  }

  private Future<Reply> listTokens(RoutingContext context) {
    Principal principal = Api.principal(context);
    return records.page(AdminKeys.API_TOKEN_INDEX, null, context.queryParams().get("after"), Api.limit(context))
        .compose(page -> records.getAll(page.items().stream().map(AdminKeys::apiToken).toList()).map(values -> {
          JsonArray items = new JsonArray();
          values.stream().filter(java.util.Objects::nonNull).map(JsonObject::new)
              .filter(token -> principal.isGlobalAdmin()
                  || principal.local() && principal.userId().equals(token.getString("userId")))
              .forEach(token -> items.add(shown(token)));
          return new Reply(200, Api.page(items, page.next()));
        }));
  }

  private Future<Reply> createToken(RoutingContext context) {
    Principal principal = Api.principal(context);
    principal.requireWrite();
    if (!principal.local()) {
      throw ApiError.forbidden("API tokens act for a local user; an OIDC sign-in has none to hand on");
    }
    JsonObject body = bodies.parse(context, "ApiTokenRequest");
    String token = Authenticator.newApiToken();
    String id = Authenticator.apiTokenId(token);
    JsonObject stored = new JsonObject().put("id", id).put("name", body.getString("name"))
        .put("owner", principal.username()).put("userId", principal.userId()).put("scope", body.getString("scope"))
        .put("createdAt", System.currentTimeMillis()).put("sha256", Authenticator.sha256(token));
    return records.write(new Records.Write(AdminKeys.apiToken(id), null, stored.encode(),
            List.of(new Records.IndexOp(AdminKeys.API_TOKEN_INDEX, id, true)), null, null,
            new Records.Audit(principal.username(), "token.create", "token:" + id, "", shown(stored).encode())))
        .compose(v -> Reply.created(shown(stored).put("token", token)));
  }

  private Future<Reply> revokeToken(RoutingContext context) {
    Principal principal = Api.principal(context);
    principal.requireWrite();
    String id = context.pathParam("id");
    return records.get(AdminKeys.apiToken(id)).compose(stored -> {
      if (stored == null || !(principal.isGlobalAdmin()
          || principal.local() && principal.userId().equals(new JsonObject(stored).getString("userId")))) {
        return Future.failedFuture(ApiError.notFound("no API token " + id));
      }
      return records.write(new Records.Write(AdminKeys.apiToken(id), stored, null,
          List.of(new Records.IndexOp(AdminKeys.API_TOKEN_INDEX, id, false)), null, null,
          new Records.Audit(principal.username(), "token.revoke", "token:" + id,
              shown(new JsonObject(stored)).encode(), "")));
    }).compose(v -> Reply.noContent());
  }

  /** A token as listed: never its hash. */
  private static JsonObject shown(JsonObject token) {
    JsonObject shown = token.copy();
    shown.remove("sha256");
    return shown;
  }
}
