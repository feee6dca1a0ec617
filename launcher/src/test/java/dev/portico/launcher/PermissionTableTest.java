package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every admin route against every role ({@code viewer}, {@code manager}, {@code admin}) at each
 * scope (the domain {@code a.test}, global), held directly by a user or through a group, plus a
 * user with no grant; and API tokens, which act with at most their creator's rights. Each caller
 * works on a site inside the domain ({@code site.a.test}) and one outside ({@code site.b.test}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PermissionTableTest {

  private static final String ADMIN_PASSWORD = "correct horse battery staple";
  private static final String PASSWORD = "table password 1";

  /** One caller: the role it holds ({@code null}: none), where, how, and whether its token is read-only. */
  record Caller(String name, String role, boolean global, boolean viaGroup, boolean readOnly, String token) {

    int rank() {
      return role == null ? 0 : List.of("viewer", "manager", "admin").indexOf(role) + 1;
    }

    /** Whether the caller holds at least {@code needed} over the sites in {@code a.test} or, if not {@code inA}, {@code b.test}. */
    boolean has(String needed, boolean inA) {
      int rank = readOnly ? Math.min(rank(), 1) : rank();
      return (global || inA) && rank >= List.of("viewer", "manager", "admin").indexOf(needed) + 1;
    }

    /** What a refused change answers: 403 when the caller may see the target (or is a read-only token), else 404. */
    int refused(boolean inA) {
      return readOnly || has("viewer", inA) ? 403 : 404;
    }

    boolean globalAdmin() {
      return global && "admin".equals(role);
    }

    @Override
    public String toString() {
      return name + (readOnly ? " (read token)" : token.startsWith("pat_") ? " (write token)" : "");
    }
  }

  /** A route, what it answers a caller (its status), and the status the permission model says. */
  record Row(String route, ToIntFunction<Caller> call, ToIntFunction<Caller> expected) {
  }

  private Harness harness;
  private AdminClient api;
  private String admin;
  private final List<Caller> callers = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    harness = new Harness(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", ADMIN_PASSWORD));
    api = new AdminClient(harness.portico.config().adminPort());
    admin = api.login("admin", ADMIN_PASSWORD);
    for (String site : List.of("site.a.test", "site.b.test")) {
      expect(201, api.put("/api/v1/sites/" + site, admin, site()));
      expect(200, api.put("/api/v1/certificates/" + site, admin, certificate(site)));
    }
    expect(201, api.post("/api/v1/users", admin, user("target")));
    expect(201, api.post("/api/v1/groups", admin, new JsonObject().put("name", "team")));
    for (String role : List.of("viewer", "manager", "admin")) {
      for (boolean global : List.of(false, true)) {
        for (boolean viaGroup : List.of(false, true)) {
          String name = role + (global ? "-global" : "-domain") + (viaGroup ? "-group" : "-user");
          String scope = global ? "global" : "a.test";
          expect(201, api.post("/api/v1/users", admin, user(name)));
          if (viaGroup) {
            expect(201, api.post("/api/v1/groups", admin, new JsonObject().put("name", "g-" + name)));
            expect(201, api.put("/api/v1/groups/g-" + name + "/grants/" + scope, admin, role(role)));
            expect(204, api.put("/api/v1/groups/g-" + name + "/members/" + name, admin, null));
          } else {
            expect(201, api.put("/api/v1/users/" + name + "/grants/" + scope, admin, role(role)));
          }
          callers.add(new Caller(name, role, global, viaGroup, false, api.login(name, PASSWORD)));
        }
      }
    }
    expect(201, api.post("/api/v1/users", admin, user("nobody")));
    callers.add(new Caller("nobody", null, false, false, false, api.login("nobody", PASSWORD)));
  }

  @AfterAll
  void stop() {
    harness.close();
  }

  @Test
  void everyRouteAnswersEachRoleAtEachScopeViaUserAndGroup() {
    assertEquals(List.of(), mismatches(callers));
  }

  @Test
  void apiTokensActWithAtMostTheirCreatorsRights() {
    List<Caller> tokens = new ArrayList<>();
    for (Caller caller : callers) {
      for (String scope : List.of("read", "write")) {
        AdminClient.Answer created = api.post("/api/v1/tokens", caller.token(),
            new JsonObject().put("name", caller.name() + "-" + scope).put("scope", scope));
        expect(201, created);
        tokens.add(new Caller(caller.name(), caller.role(), caller.global(), caller.viaGroup(), "read".equals(scope),
            created.json().getString("token")));
      }
    }
    assertEquals(List.of(), mismatches(tokens));
  }

  @Test
  void aTokenLosesWhatItsCreatorLoses() {
    expect(201, api.post("/api/v1/users", admin, user("revoked")));
    expect(201, api.put("/api/v1/users/revoked/grants/a.test", admin, role("manager")));
    String token = api.post("/api/v1/tokens", api.login("revoked", PASSWORD),
        new JsonObject().put("name", "ci").put("scope", "write")).json().getString("token");
    expect(201, api.put("/api/v1/sites/revoked-1.a.test", token, site()));
    expect(204, api.delete("/api/v1/users/revoked/grants/a.test", admin));
    AdminClient.Answer refused = api.put("/api/v1/sites/revoked-2.a.test", token, site());
    assertEquals(403, refused.status(), refused.body());
    expect(200, api.put("/api/v1/sites/revoked-1.a.test", token, site()), "it still owns the site it made");
    expect(404, api.get("/api/v1/sites/site.a.test", token));
  }

  private List<String> mismatches(List<Caller> who) {
    List<String> wrong = new ArrayList<>();
    int[] serial = {0};
    for (Caller caller : who) {
      int n = ++serial[0] + (caller.readOnly() ? 100 : caller.token().startsWith("pat_") ? 200 : 0);
      // what the admin prepares for the caller's destructive calls
      expect(201, api.put("/api/v1/sites/del-" + n + ".a.test", admin, site()));
      expect(200, api.put("/api/v1/certificates/cdel-" + n + ".a.test", admin, certificate("cdel-" + n + ".a.test")));
      expect(201, api.post("/api/v1/users", admin, user("gone-" + n)));
      for (Row row : rows(n)) {
        int status = row.call().applyAsInt(caller);
        int expected = row.expected().applyAsInt(caller);
        if (status != expected) {
          wrong.add(caller + " " + row.route() + ": " + status + ", expected " + expected);
        }
      }
    }
    return wrong;
  }

  private List<Row> rows(int n) {
    List<Row> rows = new ArrayList<>();
    for (boolean inA : List.of(true, false)) {
      String site = inA ? "site.a.test" : "site.b.test";
      rows.add(new Row("GET /sites/" + site, c -> api.get("/api/v1/sites/" + site, c.token()).status(),
          c -> c.has("viewer", inA) ? 200 : 404));
      rows.add(new Row("GET /sites lists " + site, c -> listed(api.get("/api/v1/sites?prefix=site.", c.token()), "pattern", site),
          c -> c.has("viewer", inA) ? 1 : 0));
      rows.add(new Row("GET /resolve/" + site, c -> api.get("/api/v1/resolve/" + site, c.token()).json()
          .getValue("match") == null ? 0 : 1, c -> c.has("viewer", inA) ? 1 : 0));
      rows.add(new Row("GET /certificates lists " + site,
          c -> listed(api.get("/api/v1/certificates?limit=1000", c.token()), "name", site), c -> c.has("viewer", inA) ? 1 : 0));
      rows.add(new Row("GET /certificates/" + site, c -> api.get("/api/v1/certificates/" + site, c.token()).status(),
          c -> c.has("viewer", inA) ? 200 : 404));
      String created = "new-" + n + (inA ? ".a.test" : ".b.test");
      rows.add(new Row("PUT /sites/" + created, c -> api.put("/api/v1/sites/" + created, c.token(), site()).status(),
          c -> c.has("manager", inA) ? 201 : 403));
      rows.add(new Row("PUT /sites/" + site + " (edit)", c -> api.put("/api/v1/sites/" + site, c.token(), site())
          .status(), c -> c.has("manager", inA) ? 200 : 403));
      rows.add(new Row("PUT /certificates/" + site, c -> api.put("/api/v1/certificates/" + site, c.token(),
          certificate(site)).status(), c -> c.has("manager", inA) ? 200 : c.refused(inA)));
      rows.add(new Row("POST /certificates/" + site + "/renew", c -> api.post("/api/v1/certificates/" + site
          + "/renew", c.token(), new JsonObject()).status(),
          c -> c.has("manager", inA) ? 503 : c.refused(inA)));
      rows.add(new Row("POST /sites/" + site + "/cache/purge", c -> api.post("/api/v1/sites/" + site + "/cache/purge",
          c.token(), new JsonObject()).status(), c -> c.has("manager", inA) ? 202 : c.refused(inA)));
    }
    rows.add(new Row("DELETE /sites/del-" + n + ".a.test", c -> api.delete("/api/v1/sites/del-" + n + ".a.test",
        c.token()).status(), c -> c.has("manager", true) ? 204 : c.refused(true)));
    rows.add(new Row("DELETE /certificates/cdel-" + n + ".a.test", c -> api.delete("/api/v1/certificates/cdel-" + n
        + ".a.test", c.token()).status(), c -> c.has("manager", true) ? 204 : c.refused(true)));
    adminOnly(rows, n);
    rows.add(new Row("GET /auth/me", c -> api.get("/api/v1/auth/me", c.token()).status(), c -> 200));
    rows.add(new Row("GET /tokens", c -> api.get("/api/v1/tokens", c.token()).status(), c -> 200));
    rows.add(new Row("POST /tokens", c -> api.post("/api/v1/tokens", c.token(), new JsonObject().put("name", "t")
        .put("scope", "read")).status(), c -> c.readOnly() ? 403 : 201));
    return rows;
  }

  /** Users, groups, grants, DNS providers and the audit log: global admins only (read tokens read). */
  private void adminOnly(List<Row> rows, int n) {
    String group = "made-" + n;
    String provider = "dns-" + n;
    JsonObject dns = new JsonObject().put("type", "cloudflare").put("domains", new JsonArray().add("a.test"))
        .put("credentials", new JsonObject().put("apiToken", "secret-" + n));
    read(rows, "/api/v1/users");
    write(rows, "POST /users", c -> api.post("/api/v1/users", c.token(), user("new-" + n)).status(), 201);
    read(rows, "/api/v1/users/target");
    write(rows, "PATCH /users/target", c -> api.call("PATCH", "/api/v1/users/target", c.token(),
        new JsonObject().put("role", "user")).status(), 200);
    write(rows, "DELETE /users/gone-" + n, c -> api.delete("/api/v1/users/gone-" + n, c.token()).status(), 204);
    write(rows, "PUT /users/target/grants/c" + n + ".test", c -> api.put("/api/v1/users/target/grants/c" + n + ".test",
        c.token(), role("viewer")).status(), 201);
    read(rows, "/api/v1/users/target/grants");
    write(rows, "DELETE /users/target/grants/c" + n + ".test", c -> api.delete("/api/v1/users/target/grants/c" + n
        + ".test", c.token()).status(), 204);
    read(rows, "/api/v1/groups");
    write(rows, "POST /groups", c -> api.post("/api/v1/groups", c.token(), new JsonObject().put("name", group))
        .status(), 201);
    read(rows, "/api/v1/groups/team");
    write(rows, "PUT /groups/team/members/target", c -> api.put("/api/v1/groups/team/members/target", c.token(), null)
        .status(), 204);
    write(rows, "DELETE /groups/team/members/target", c -> api.delete("/api/v1/groups/team/members/target",
        c.token()).status(), 204);
    write(rows, "PUT /groups/team/grants/global", c -> api.put("/api/v1/groups/team/grants/global", c.token(),
        role("viewer")).status(), 201);
    read(rows, "/api/v1/groups/team/grants");
    write(rows, "DELETE /groups/team/grants/global", c -> api.delete("/api/v1/groups/team/grants/global",
        c.token()).status(), 204);
    write(rows, "DELETE /groups/" + group, c -> api.delete("/api/v1/groups/" + group, c.token()).status(), 204);
    write(rows, "PUT /dns-providers/" + provider, c -> api.put("/api/v1/dns-providers/" + provider, c.token(), dns)
        .status(), 201);
    read(rows, "/api/v1/dns-providers");
    write(rows, "DELETE /dns-providers/" + provider, c -> api.delete("/api/v1/dns-providers/" + provider, c.token())
        .status(), 204);
    read(rows, "/api/v1/audit");
  }

  private void read(List<Row> rows, String path) {
    rows.add(new Row("GET " + path.substring("/api/v1".length()), c -> api.get(path, c.token()).status(),
        c -> c.globalAdmin() ? 200 : 403));
  }

  private static void write(List<Row> rows, String route, ToIntFunction<Caller> call, int allowed) {
    rows.add(new Row(route, call, c -> c.globalAdmin() && !c.readOnly() ? allowed : 403));
  }

  private static int listed(AdminClient.Answer answer, String field, String value) {
    expect(200, answer);
    return (int) answer.json().getJsonArray("items").stream()
        .filter(item -> value.equals(((JsonObject) item).getString(field))).count();
  }

  private static JsonObject site() {
    return new JsonObject().put("targets", new JsonArray().add("10.255.0.1:8080"));
  }

  private static JsonObject certificate(String name) {
    String[] pems = TestCertificates.pems(name);
    return new JsonObject().put("certificatePem", pems[0]).put("privateKeyPem", pems[1]);
  }

  private static JsonObject user(String name) {
    return new JsonObject().put("username", name).put("password", PASSWORD);
  }

  private static JsonObject role(String role) {
    return new JsonObject().put("role", role);
  }

  private static void expect(int status, AdminClient.Answer answer) {
    expect(status, answer, "");
  }

  private static void expect(int status, AdminClient.Answer answer, String why) {
    assertEquals(status, answer.status(), why + " " + answer.body());
  }
}
