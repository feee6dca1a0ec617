package dev.portico.admin;

import dev.portico.contract.AdminKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Brings records written before users had ids up to date, at every admin start (it finds nothing
 * to do after the first): a user without an id gets one, and an API token without a
 * {@code userId} is bound to its owner's id, unless the token is older than the owner's record —
 * then it was made for an earlier user of that name, and is deleted. Each change is a
 * compare-and-set, so admin nodes starting together do each one once. JWTs issued before carry
 * no user id and are refused: their holders sign in again (JWTs live {@code PORTICO_JWT_TTL_S}).
 */
final class UserIdMigration {

  private static final Logger LOG = LoggerFactory.getLogger(UserIdMigration.class);
  private static final int PAGE = 500;
  private static final String WHO = "portico";

  private UserIdMigration() {
  }

  static Future<Void> run(Records records) {
    return each(records, AdminKeys.USER_INDEX, AdminKeys::user, UserIdMigration::assignId, null)
        .compose(v -> each(records, AdminKeys.API_TOKEN_INDEX, AdminKeys::apiToken, UserIdMigration::bindToken, null));
  }

  private static Future<Void> assignId(Records records, String stored) {
    JsonObject user = new JsonObject(stored);
    if (user.getString("id") != null) {
      return Future.succeededFuture();
    }
    String name = user.getString("username");
    JsonObject updated = user.copy().put("id", Users.newId());
    LOG.info("Gave user '{}' an id", name);
    return records.write(new Records.Write(AdminKeys.user(name), stored, updated.encode(), List.of(), null, null,
        new Records.Audit(WHO, "user.assign-id", "user:" + name, Users.masked(user).encode(),
            Users.masked(updated).encode())));
  }

  private static Future<Void> bindToken(Records records, String stored) {
    JsonObject token = new JsonObject(stored);
    if (token.getString("userId") != null) {
      return Future.succeededFuture();
    }
    String id = token.getString("id");
    String owner = token.getString("owner");
    return records.get(AdminKeys.user(owner)).compose(userJson -> {
      JsonObject user = userJson == null ? null : new JsonObject(userJson);
      JsonObject shown = token.copy();
      shown.remove("sha256");
      if (user != null && user.getString("id") != null
          && user.getLong("createdAt", Long.MAX_VALUE) <= token.getLong("createdAt", 0L)) {
        JsonObject bound = token.copy().put("userId", user.getString("id"));
        return records.write(new Records.Write(AdminKeys.apiToken(id), stored, bound.encode(), List.of(), null, null,
            new Records.Audit(WHO, "token.bind-user", "token:" + id, shown.encode(),
                shown.copy().put("userId", user.getString("id")).encode())));
      }
      LOG.warn("Deleted API token {} of '{}': it is older than the user now called so", id, owner);
      return records.write(new Records.Write(AdminKeys.apiToken(id), stored, null,
          List.of(new Records.IndexOp(AdminKeys.API_TOKEN_INDEX, id, false)), null, null,
          new Records.Audit(WHO, "token.revoke", "token:" + id, shown.encode(), "")));
    });
  }

  /** Applies {@code change} to every record of {@code index}, page by page; a 409 means another node did it. */
  static Future<Void> each(Records records, String index, Function<String, String> key,
      BiFunction<Records, String, Future<Void>> change, String after) {
    return records.page(index, null, after, PAGE).compose(page ->
        records.getAll(page.items().stream().map(key).toList()).compose(values -> {
          List<Future<Void>> changes = new ArrayList<>();
          values.stream().filter(java.util.Objects::nonNull).forEach(value -> changes.add(change.apply(records, value)
              .recover(e -> e instanceof ApiError error && error.status() == 409 ? Future.succeededFuture()
                  : Future.failedFuture(e))));
          return Future.all(changes);
        }).compose(v -> page.next() == null ? Future.<Void>succeededFuture()
            : each(records, index, key, change, page.next())));
  }
}
