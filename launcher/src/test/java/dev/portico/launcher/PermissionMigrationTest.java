package dev.portico.launcher;

import dev.portico.contract.PasswordHash;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records written before the permission model ({@code "role": "admin" | "user"} in the user
 * record, domain grants, site owners), then an admin node starts: nobody loses access, and the
 * admin role has become a global admin grant, audited.
 */
class PermissionMigrationTest {

  private static final String PASSWORD = "migrated password 1";

  @Test
  void rolesOwnersAndGrantsFromBeforeKeepTheirAccess() throws Exception {
    try (Harness harness = new Harness()) {
      oldUser(harness, "olda", "admin");
      oldUser(harness, "oldu", "user");
      Harness.await(harness.redisApi.hset(List.of("portico:grants:user:oldu", "domain:team.old.test",
          new JsonObject().put("role", "manager").put("grantedBy", "olda").put("grantedAt", 1L).encode())));
      harness.putSite("own.old.test", "{\"targets\":[\"10.255.0.1:8080\"],\"owner\":\"oldu\"}");
      harness.putSite("other.old.test", "{\"targets\":[\"10.255.0.1:8080\"]}");
      for (String site : List.of("own.old.test", "other.old.test")) {
        Harness.await(harness.redisApi.zadd(List.of("portico:site-index", "0", site)));
      }
      Harness.await(harness.redisApi.zadd(List.of("portico:sites-by-owner:oldu", "0", "own.old.test")));

      Map<String, String> env = Harness.listenersOnFreePorts();
      env.put("PORTICO_REDIS_URL", "redis://127.0.0.1:" + harness.redisPort);
      env.put("PORTICO_SECRET_KEY", Harness.SECRET_KEY);
      env.put("PORTICO_ROLES", "admin");
      try (Portico upgraded = Portico.start(PorticoConfig.fromEnvironment(env))) {
        AdminClient api = new AdminClient(upgraded.config().adminPort());
        String olda = api.login("olda", PASSWORD);
        JsonObject me = api.get("/api/v1/auth/me", olda).json();
        assertEquals("admin", me.getJsonObject("permissions").getString("global"), me.encode());
        assertEquals(200, api.get("/api/v1/users", olda).status(), "the admin still manages users");
        for (String user : List.of("olda", "oldu")) {
          JsonObject stored = new JsonObject(Harness.await(harness.redisApi.get("portico:user:" + user)).toString());
          assertFalse(stored.containsKey("role"), "the role moved into grants: " + stored.encode());
        }
        assertEquals(1, api.get("/api/v1/users/olda/grants", olda).json().getJsonArray("items").size());

        String oldu = api.login("oldu", PASSWORD);
        assertEquals(403, api.get("/api/v1/users", oldu).status(), "a user is no admin");
        assertEquals(200, api.put("/api/v1/sites/own.old.test", oldu, site()).status(), "an owner edits its site");
        assertEquals(201, api.put("/api/v1/sites/app.team.old.test", oldu, site()).status(), "its grant holds");
        assertEquals(403, api.put("/api/v1/sites/other.old.test", oldu, site()).status());
        assertEquals(403, api.put("/api/v1/sites/new.old.test", oldu, site()).status());
        assertEquals(404, api.get("/api/v1/sites/other.old.test", oldu).status());

        String audit = api.get("/api/v1/audit?limit=1000", olda).body();
        assertTrue(audit.contains("user.migrate-role") && audit.contains("grant:user:olda:global"), audit);
      }
    }
  }

  /** A user record as written before the permission model. */
  private static void oldUser(Harness harness, String name, String role) throws Exception {
    Harness.await(harness.redisApi.set(List.of("portico:user:" + name, new JsonObject().put("id", UUID.randomUUID()
        .toString()).put("username", name).put("role", role).put("passwordHash", PasswordHash.hash(PASSWORD))
        .put("createdAt", System.currentTimeMillis()).encode())));
    Harness.await(harness.redisApi.zadd(List.of("portico:user-index", "0", name)));
  }

  private static JsonObject site() {
    return new JsonObject().put("targets", new io.vertx.core.json.JsonArray().add("10.255.0.1:8080"));
  }
}
