package dev.portico.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tenant (a {@code user} of the admin API) against other owners' hosts: with {@code *.corp.test}
 * owned by admin, a user must not take {@code **} or {@code api.corp.test} (and their requests,
 * cookies and certificates). Users create sites only inside domains an admin granted them, and
 * never a pattern sharing a host with another owner's site.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTenancyTest {

  private static final String ADMIN_PASSWORD = "correct horse battery staple";
  private static final String PASSWORD = "tenant password 1";

  private Harness harness;
  private AdminClient api;
  private String admin;
  private String mallory;
  private RecordingBackend adminBackend;
  private RecordingBackend malloryBackend;

  @BeforeAll
  void start() throws Exception {
    harness = new Harness(Map.of("PORTICO_ROLES", "edge,admin", "PORTICO_ADMIN_PASSWORD", ADMIN_PASSWORD));
    api = new AdminClient(harness.portico.config().adminPort());
    admin = api.login("admin", ADMIN_PASSWORD);
    adminBackend = new RecordingBackend(harness.testVertx);
    malloryBackend = new RecordingBackend(harness.testVertx);
    mallory = newUser("mallory");
    assertEquals(201, api.put("/api/v1/sites/*.corp.test", admin, site(adminBackend)).status());
  }

  @AfterAll
  void stop() {
    adminBackend.close();
    malloryBackend.close();
    harness.close();
  }

  @Test
  void aUserCannotTakeACatchAllOrANameUnderAnotherOwnersWildcard() {
    assertRefused(api.put("/api/v1/sites/**", mallory, tenantSite()), "outside the domains you manage");
    assertRefused(api.put("/api/v1/sites/api.corp.test", mallory, tenantSite()), "outside the domains you manage");
    // a manager of api.corp.test still may not take a host admin's *.corp.test (outside its domain) serves
    grant("mallory", "api.corp.test");
    assertRefused(api.put("/api/v1/sites/api.corp.test", mallory, tenantSite()),
        "a site of another owner serves (such as api.corp.test)");
    assertRefused(api.put("/api/v1/sites/**", mallory, tenantSite()), "outside the domains you manage");
    assertRefused(api.put("/api/v1/sites/**.corp.test", mallory, tenantSite()), "outside the domains you manage");
    assertRefused(api.put("/api/v1/sites/*.*.test", mallory, tenantSite()), "outside the domains you manage");
    for (String pattern : List.of("**", "api.corp.test", "**.corp.test")) {
      assertEquals(404, api.get("/api/v1/sites/" + pattern, admin).status(), pattern + " was not written");
    }

    HttpResponse<String> answer = harness.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + harness.httpPort() + "/account"))
        .header("Host", "api.corp.test").header("Cookie", "session=victim-secret")
        .timeout(Duration.ofSeconds(10)).build());
    assertEquals(200, answer.statusCode(), answer.body());
    assertEquals("", malloryBackend.raw(), "mallory's backend saw nothing");
    assertTrue(malloryBackend.requests().isEmpty());
    RecordingBackend.Received received = adminBackend.requests().get(adminBackend.requests().size() - 1);
    assertEquals("/account", received.uri());
    assertEquals(List.of("session=victim-secret"), received.header("Cookie"), "the owner's backend got it");
  }

  @Test
  void aGrantLetsAUserCreateInsideItsDomainOnly() {
    String alice = newUser("alice");
    grant("alice", "alice.test");
    AdminClient.Answer created = api.put("/api/v1/sites/shop.alice.test", alice, tenantSite());
    assertEquals(201, created.status(), created.body());
    assertEquals("alice", created.json().getJsonObject("site").getString("owner"));
    assertEquals(201, api.put("/api/v1/sites/*.alice.test", alice, tenantSite()).status());
    assertEquals(201, api.put("/api/v1/sites/alice.test", alice, tenantSite()).status(), "the domain itself");
    assertEquals(200, api.put("/api/v1/sites/shop.alice.test", alice,
        tenantSite().put("readTimeoutMs", 5000)).status(), "an owner edits its site");
    assertRefused(api.put("/api/v1/sites/shop.other.test", alice, tenantSite()), "(alice.test)");
    assertRefused(api.put("/api/v1/sites/*.test", alice, tenantSite()), "outside the domains you manage");
    assertRefused(api.put("/api/v1/sites/alice.test.evil", alice, tenantSite()), "outside");
    assertRefused(api.put("/api/v1/sites/xalice.test", alice, tenantSite()), "outside");

    // a user granted a domain under alice's cannot take hosts alice's sites match, nor edit them
    String carol = newUser("carol");
    grant("carol", "blog.alice.test");
    assertRefused(api.put("/api/v1/sites/blog.alice.test", carol, tenantSite()), "another owner");
    assertEquals(201, api.put("/api/v1/sites/a.blog.alice.test", carol, tenantSite()).status(),
        "one label deeper than alice's *.alice.test");
    assertEquals(403, api.put("/api/v1/sites/shop.alice.test", carol, tenantSite()).status());
    assertEquals(404, api.get("/api/v1/sites/shop.alice.test", carol).status());

    // an admin is not restricted, and a user keeps editing a site it owns after losing the grant
    assertEquals(201, api.put("/api/v1/sites/**.alice.test", admin, site(adminBackend)).status());
    assertEquals(204, api.delete("/api/v1/users/alice/grants/alice.test", admin).status());
    assertEquals(200, api.put("/api/v1/sites/shop.alice.test", alice, tenantSite()).status());
    assertEquals(204, api.delete("/api/v1/sites/shop.alice.test", alice).status());
  }

  /** A manager of two domains against admin's wildcards above them, which it may not manage. */
  @Test
  void patternsOverlapByTheirWildcards() {
    String dave = newUser("dave");
    grant("dave", "a.ov.test");
    grant("dave", "n.ov.test");
    assertEquals(201, api.put("/api/v1/sites/*.ov.test", admin, site(adminBackend)).status());
    assertEquals(201, api.put("/api/v1/sites/*.*.ov.test", admin, site(adminBackend)).status());

    assertRefused(api.put("/api/v1/sites/a.ov.test", dave, tenantSite()), "(such as a.ov.test)");
    assertRefused(api.put("/api/v1/sites/*.a.ov.test", dave, tenantSite()), "another owner");
    assertRefused(api.put("/api/v1/sites/**.n.ov.test", dave, tenantSite()), "another owner");
    assertRefused(api.put("/api/v1/sites/x.n.ov.test", dave, tenantSite()), "(such as x.n.ov.test)");
    assertRefused(api.put("/api/v1/sites/*.x.ov.test", dave, tenantSite()), "outside the domains you manage");

    assertEquals(201, api.put("/api/v1/sites/y.x.a.ov.test", dave, tenantSite()).status(), "'*' is one label");
    assertEquals(201, api.put("/api/v1/sites/*.x.n.ov.test", dave, tenantSite()).status());
    assertEquals(200, api.put("/api/v1/sites/y.x.a.ov.test", dave, tenantSite()).status(), "dave edits his site");
    assertEquals(403, api.put("/api/v1/sites/*.ov.test", dave, site(adminBackend)).status(), "not admin's");
  }

  @Test
  void certificatesOutsideTheUsersScopeAreRefused() {
    String erin = newUser("erin");
    grant("erin", "sub.shared.test");
    assertEquals(201, api.put("/api/v1/sites/*.shared.test", admin, site(adminBackend)).status());
    assertEquals(201, api.put("/api/v1/sites/shared.test", admin, site(adminBackend)).status());
    JsonObject wildcardWithApex = tenantSite().put("tls", "manual").put("includeApex", true);
    assertRefused(api.put("/api/v1/sites/*.sub.shared.test", erin, wildcardWithApex),
        "'sub.shared.test' matches hosts that a site of another owner serves");
    assertEquals(404, api.get("/api/v1/sites/*.sub.shared.test", admin).status());
    assertEquals(201, api.put("/api/v1/sites/*.sub.shared.test", erin, tenantSite().put("tls", "manual")).status(),
        "without the apex, nothing is shared");
    assertRefused(api.put("/api/v1/sites/*.sub.shared.test", erin, tenantSite().put("tls", "manual")
        .put("includeApex", true)), "'sub.shared.test' matches hosts");
    assertRefused(api.put("/api/v1/sites/api.corp.test", erin, tenantSite().put("tls", "auto")), "outside");

    // an uploaded *.sub.shared.test certificate naming sub.shared.test would be served for admin's *.shared.test
    String[] withApex = TestCertificates.pems("*.sub.shared.test", "sub.shared.test");
    assertRefused(api.put("/api/v1/certificates/*.sub.shared.test", erin, new JsonObject()
        .put("certificatePem", withApex[0]).put("privateKeyPem", withApex[1])), "names sub.shared.test");
    assertNull(Harness.await(harness.redisApi.get("portico:cert:*.sub.shared.test")), "nothing stored");
    String[] own = TestCertificates.pems("*.sub.shared.test");
    AdminClient.Answer uploaded = api.put("/api/v1/certificates/*.sub.shared.test", erin, new JsonObject()
        .put("certificatePem", own[0]).put("privateKeyPem", own[1]));
    assertEquals(200, uploaded.status(), uploaded.body());

    for (String name : List.of("shared.test", "api.corp.test", "*.corp.test")) {
      assertEquals(404, api.post("/api/v1/certificates/" + name + "/renew", erin, new JsonObject()).status(), name);
      assertEquals(404, api.get("/api/v1/certificates/" + name, erin).status(), name);
      assertEquals(404, api.delete("/api/v1/certificates/" + name, erin).status(), name);
    }
    assertNull(Harness.await(harness.redisApi.get("portico:cert-state:api.corp.test")), "no issuance was asked for");
  }

  @Test
  void grantsAreManagedByAdminsOnly() {
    String frank = newUser("frank");
    assertEquals(403, api.put("/api/v1/users/frank/grants/frank.test", frank,
        new JsonObject().put("role", "manager")).status());
    assertEquals(403, api.get("/api/v1/users/frank/grants", frank).status());
    AdminClient.Answer created = api.put("/api/v1/users/frank/grants/Frank.TEST.", admin,
        new JsonObject().put("role", "manager"));
    assertEquals(201, created.status(), created.body());
    assertEquals(new JsonObject().put("type", "domain").put("domain", "frank.test"), created.json().getJsonObject("scope"));
    assertEquals(new JsonObject().put("type", "user").put("name", "frank"), created.json().getJsonObject("subject"));
    assertEquals("admin", created.json().getString("grantedBy"));
    assertEquals(200, api.put("/api/v1/users/frank/grants/frank.test", admin,
        new JsonObject().put("role", "manager")).status(), "a second put replaces");
    assertEquals(403, api.delete("/api/v1/users/frank/grants/frank.test", frank).status());

    assertBadRequest(api.put("/api/v1/users/frank/grants/*.frank.test", admin, new JsonObject().put("role", "manager")), "domain");
    assertBadRequest(api.put("/api/v1/users/frank/grants/a..b", admin, new JsonObject().put("role", "manager")), "domain");
    assertBadRequest(api.put("/api/v1/users/frank/grants/frank.test", admin, new JsonObject().put("role", "owner")), "role");
    assertBadRequest(api.put("/api/v1/users/frank/grants/frank.test", admin,
        new JsonObject().put("role", "manager").put("scope", "global")), "scope");
    assertEquals(404, api.put("/api/v1/users/nobody/grants/frank.test", admin, new JsonObject().put("role", "manager")).status());
    assertEquals(0, Harness.await(harness.redisApi.exists(List.of("portico:grants:user:nobody"))).toInteger());
    assertEquals(404, api.get("/api/v1/users/nobody/grants", admin).status());

    JsonArray listed = api.get("/api/v1/users/frank/grants", admin).json().getJsonArray("items");
    assertEquals(1, listed.size());
    assertEquals("manager", listed.getJsonObject(0).getString("role"));
    assertEquals(200, api.get("/api/v1/users/frank/grants/frank.test", admin).status());
    assertEquals(204, api.delete("/api/v1/users/frank/grants/frank.test", admin).status());
    assertEquals(404, api.delete("/api/v1/users/frank/grants/frank.test", admin).status());
    assertEquals(404, api.get("/api/v1/users/frank/grants/frank.test", admin).status());

    String audit = api.get("/api/v1/audit?limit=1000", admin).body();
    for (String action : List.of("grant.create", "grant.update", "grant.delete")) {
      assertTrue(audit.contains("\"action\":\"" + action + "\",\"resource\":\"grant:user:frank:domain:frank.test\""),
          action + " audited: " + audit);
    }
  }

  @Test
  void grantsDieWithTheirUser() {
    newUser("gina");
    grant("gina", "gina.test");
    assertEquals(204, api.delete("/api/v1/users/gina", admin).status());
    assertEquals(0, Harness.await(harness.redisApi.exists(List.of("portico:grants:user:gina"))).toInteger());
    String gina = newUser("gina");
    assertEquals(new JsonArray(), api.get("/api/v1/users/gina/grants", admin).json().getJsonArray("items"));
    assertRefused(api.put("/api/v1/sites/gina.test", gina, tenantSite()), "(none)");
  }

  /** Sites indexed before the suffix index existed are found once an admin node starts. */
  @Test
  void sitesFromBeforeTheSuffixIndexAreCheckedAfterAStart() {
    Harness.await(harness.redisApi.set(List.of("portico:site:*.legacy.test", "{\"targets\":[\"127.0.0.1:9\"]}")));
    Harness.await(harness.redisApi.zadd(List.of("portico:site-index", "0", "*.legacy.test")));
    int port = Harness.freePort();
    String deployment = Harness.await(harness.portico.vertx().deployVerticle(new dev.portico.admin.AdminVerticle(),
        new io.vertx.core.DeploymentOptions().setConfig(harness.portico.config().verticleConfig().put("adminPort", port))));
    try {
      AdminClient restarted = new AdminClient(port);
      newUser("henry");
      grant("henry", "x.legacy.test");
      String henry = restarted.login("henry", PASSWORD);
      assertNotNull(Harness.await(harness.redisApi.zscore("portico:site-index-by-suffix", "test.legacy.*")),
          "indexed by suffix at start");
      assertRefused(restarted.put("/api/v1/sites/x.legacy.test", henry, tenantSite()), "(such as x.legacy.test)");
    } finally {
      Harness.await(harness.portico.vertx().undeploy(deployment));
    }
  }

  /**
   * What a user's write costs among 90 000 sites: a name reads a few short index ranges; a
   * wildcard over all of them reads and tests each (the worst case, bounded by
   * {@code SiteClaims.MAX_CANDIDATES}): all are in the user's domain, so it may take their hosts.
   */
  @Test
  void aUserWriteAmongAHundredThousandSites() {
    int total = 90_000;
    for (int start = 0; start < total; start += 10_000) {
      List<String> mset = new java.util.ArrayList<>();
      List<String> byName = new java.util.ArrayList<>(List.of("portico:site-index"));
      List<String> bySuffix = new java.util.ArrayList<>(List.of("portico:site-index-by-suffix"));
      for (int i = start; i < start + 10_000; i++) {
        String pattern = String.format("bulk%06d.big.test", i);
        mset.add("portico:site:" + pattern);
        mset.add("{\"targets\":[\"127.0.0.1:9\"],\"owner\":\"ivan\"}");
        byName.addAll(List.of("0", pattern));
        bySuffix.addAll(List.of("0", "test.big." + pattern.substring(0, pattern.indexOf('.'))));
      }
      Harness.await(harness.redisApi.mset(mset));
      Harness.await(harness.redisApi.zadd(byName));
      Harness.await(harness.redisApi.zadd(bySuffix));
    }
    String ivan = newUser("ivan");
    grant("ivan", "big.test");

    long start = System.nanoTime();
    assertEquals(201, api.put("/api/v1/sites/new.big.test", ivan, tenantSite()).status());
    long nameMs = (System.nanoTime() - start) / 1_000_000;
    start = System.nanoTime();
    assertEquals(201, api.put("/api/v1/sites/*.big.test", ivan, tenantSite()).status());
    long wildcardMs = (System.nanoTime() - start) / 1_000_000;
    System.out.println("A user's site write among " + total + " sites: a name " + nameMs + " ms, a wildcard over all "
        + "of them " + wildcardMs + " ms");
  }

  private String newUser(String name) {
    AdminClient.Answer created = api.post("/api/v1/users", admin, new JsonObject().put("username", name)
        .put("password", PASSWORD).put("role", "user"));
    assertEquals(201, created.status(), created.body());
    return api.login(name, PASSWORD);
  }

  private void grant(String user, String domain) {
    AdminClient.Answer granted = api.put("/api/v1/users/" + user + "/grants/" + domain, admin,
        new JsonObject().put("role", "manager"));
    assertEquals(201, granted.status(), granted.body());
  }

  /**
   * A site as a user writes it: a user's site may not target loopback, where the test backends
   * are, so its target is a private address that the edge is never asked to reach here.
   */
  private static JsonObject tenantSite() {
    return new JsonObject().put("targets", new JsonArray().add("10.255.0.1:8080"));
  }

  private static JsonObject site(RecordingBackend backend) {
    return new JsonObject().put("targets", new JsonArray().add("127.0.0.1:" + backend.port()));
  }

  private static void assertRefused(AdminClient.Answer answer, String why) {
    assertEquals(403, answer.status(), answer.body());
    assertEquals("forbidden", answer.json().getString("error"), answer.body());
    assertTrue(answer.json().getString("detail").contains(why), answer.body());
    assertFalse(answer.body().contains("\r") || answer.body().contains("\n"), answer.body());
  }

  private static void assertBadRequest(AdminClient.Answer answer, String field) {
    assertEquals(400, answer.status(), answer.body());
    assertEquals(field, answer.json().getString("field"), answer.body());
  }
}
