package dev.portico.admin;

import dev.portico.admin.Api.Reply;
import dev.portico.contract.Addresses;
import dev.portico.contract.CertKeys;
import dev.portico.contract.DomainPattern;
import dev.portico.contract.IndexKeys;
import dev.portico.contract.Pem;
import dev.portico.contract.RedisKeys;
import dev.portico.contract.SecretBox;
import dev.portico.contract.StoredCertificate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/v1/certificates}: what is served (names, issuer, expiry, days left, the state of
 * the last renewal), manual uploads (checked: the chain parses, the key matches, the names cover
 * the certificate's name, not expired), deletion, and "renew now" handed to a cert verticle. The
 * private key never leaves: it is sealed on upload and never shown. A {@code user} sees and
 * manages the certificates of the sites it owns.
 */
final class CertificatesApi {

  private static final Logger LOG = LoggerFactory.getLogger(CertificatesApi.class);
  private static final long DAY_MS = 86_400_000L;
  /**
   * Only the log line of the outcome waits this long (the request is answered 202 at once): longer
   * than any issuance, a wildcard's included (issue + 2 propagation waits + the DNS-01 sequence
   * interval: 390 s by default).
   */
  private static final long RENEW_TIMEOUT_MS = 1_800_000;
  /** How long "renew" waits to learn that no cert verticle runs at all, before answering 202. */
  private static final long NO_HANDLER_GRACE_MS = 200;

  private final Vertx vertx;
  private final Records records;
  private final RequestBodies bodies;
  private final SecretBox box;

  CertificatesApi(Vertx vertx, Records records, RequestBodies bodies, SecretBox box) {
    this.vertx = vertx;
    this.records = records;
    this.bodies = bodies;
    this.box = box;
  }

  void mount(Router router) {
    router.get("/api/v1/certificates").handler(Api.handle(this::list));
    router.get("/api/v1/certificates/:name").handler(Api.handle(this::read));
    router.put("/api/v1/certificates/:name").handler(Api.handle(this::upload));
    router.delete("/api/v1/certificates/:name").handler(Api.handle(this::delete));
    router.post("/api/v1/certificates/:name/renew").handler(Api.handle(this::renew));
  }

  /**
   * Pages over {@link IndexKeys#CERT_INDEX} by name ({@code after}: the last name of the previous
   * page; {@code prefix} optional), never a SCAN of the keyspace.
   */
  private Future<Reply> list(RoutingContext context) {
    Principal principal = Api.principal(context);
    String prefix = lower(context.queryParams().get("prefix"));
    return records.page(IndexKeys.CERT_INDEX, prefix, lower(context.queryParams().get("after")), Api.limit(context))
        .compose(page -> details(principal, page.items(), false).map(items -> new Reply(200, Api.page(items,
            page.next()))));
  }

  private static String lower(String value) {
    return value == null ? null : value.toLowerCase(java.util.Locale.ROOT);
  }

  private Future<Reply> read(RoutingContext context) {
    String name = name(context);
    return details(Api.principal(context), List.of(name), true).compose(items -> items.isEmpty()
        ? Future.failedFuture(ApiError.notFound("no certificate " + name)) : Reply.ok(items.getJsonObject(0)));
  }

  /** The certificates {@code principal} may see among {@code names}, with their renewal state. */
  private Future<JsonArray> details(Principal principal, List<String> names, boolean withPem) {
    List<String> keys = new ArrayList<>();
    names.forEach(name -> {
      keys.add(RedisKeys.cert(name));
      keys.add(CertKeys.certState(name));
      keys.add(RedisKeys.site(name));
    });
    return records.getAll(keys).map(values -> {
      JsonArray items = new JsonArray();
      long now = System.currentTimeMillis();
      for (int i = 0; i < names.size(); i++) {
        String stored = values.get(3 * i);
        String site = values.get(3 * i + 2);
        if (stored == null || !principal.mayRead(names.get(i), site)) {
          continue;
        }
        StoredCertificate cert = StoredCertificate.fromJson(new JsonObject(stored));
        JsonObject item = new JsonObject().put("name", cert.name()).put("names", new JsonArray(cert.names()))
            .put("issuer", cert.issuer()).put("source", cert.source()).put("notBefore", cert.notBefore())
            .put("notAfter", cert.notAfter()).put("daysLeft", Math.floorDiv(cert.notAfter() - now, DAY_MS))
            .put("lastRenewal", values.get(3 * i + 1) == null ? null : new JsonObject(values.get(3 * i + 1)));
        if (withPem) {
          item.put("certificatePem", cert.certificatePem());
        }
        items.add(item);
      }
      return items;
    });
  }

  private Future<Reply> upload(RoutingContext context) {
    Principal principal = Api.principal(context);
    principal.requireWrite();
    String name = name(context);
    JsonObject body = bodies.parse(context, "CertificateUpload");
    String key = RedisKeys.cert(name);
    return mayManage(principal, name).compose(site -> vertx.executeBlocking(() ->
            check(name, body.getString("certificatePem"), body.getString("privateKeyPem")), false)
            .map(checked -> {
              SiteClaims.checkCertificateNames(principal, name, site, checked.names());
              return checked;
            }))
        .compose(checked -> records.get(key).compose(current -> {
          StoredCertificate stored = new StoredCertificate(name, checked.names(), body.getString("certificatePem"),
              box.seal(body.getString("privateKeyPem"), key), checked.leaf().getNotBefore().getTime(),
              checked.leaf().getNotAfter().getTime(), checked.leaf().getIssuerX500Principal().getName(), "manual");
          return records.write(new Records.Write(key, current, stored.toJson().encode(),
              List.of(new Records.IndexOp(IndexKeys.CERT_INDEX, name, true)),
              RedisKeys.CERT_CHANGES_CHANNEL, name,
              new Records.Audit(principal.username(), current == null ? "certificate.create" : "certificate.replace",
                  "certificate:" + name, current == null ? "" : shown(current), shown(stored.toJson().encode()))));
        }))
        .compose(v -> details(principal, List.of(name), false))
        .compose(items -> Reply.ok(items.getJsonObject(0)));
  }

  private Future<Reply> delete(RoutingContext context) {
    Principal principal = Api.principal(context);
    principal.requireWrite();
    String name = name(context);
    String key = RedisKeys.cert(name);
    return mayManage(principal, name).compose(v -> records.get(key)).compose(current -> current == null
        ? Future.failedFuture(ApiError.notFound("no certificate " + name))
        : records.write(new Records.Write(key, current, null, List.of(new Records.IndexOp(IndexKeys.CERT_INDEX, name,
            false)), RedisKeys.CERT_CHANGES_CHANNEL, name,
            new Records.Audit(principal.username(), "certificate.delete", "certificate:" + name, shown(current), ""))))
        .compose(v -> Reply.noContent());
  }

  /** Hands the name to a cert verticle and answers 202 at once; 503 when no cert verticle runs. */
  private Future<Reply> renew(RoutingContext context) {
    Principal principal = Api.principal(context);
    principal.requireWrite();
    String name = name(context);
    return mayManage(principal, name).compose(v -> {
      Future<Object> issued = vertx.eventBus().request(Addresses.CERT_ISSUE, new JsonObject().put("name", name),
          new DeliveryOptions().setSendTimeout(RENEW_TIMEOUT_MS)).map(reply -> reply.body());
      issued.onComplete(ar -> LOG.info("Renewal of {} asked by {}: {}", name, principal.username(),
          ar.succeeded() ? ar.result() : ar.cause().getMessage()));
      io.vertx.core.Promise<Reply> answer = io.vertx.core.Promise.promise();
      long timer = vertx.setTimer(NO_HANDLER_GRACE_MS, id -> answer.tryComplete(new Reply(202,
          new JsonObject().put("name", name).put("status", "renewal requested"))));
      issued.onFailure(e -> {
        if (e instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
          vertx.cancelTimer(timer);
          answer.tryFail(ApiError.unavailable("no cert verticle is running"));
        }
      });
      issued.onSuccess(result -> {
        vertx.cancelTimer(timer);
        answer.tryComplete(new Reply(202, new JsonObject().put("name", name).put("status", "renewal requested")
            .put("result", result)));
      });
      return answer.future();
    });
  }

  /**
   * A certificate is managed by whoever may manage the site of its name (a manager or admin of its
   * domain, or the site's owner). Gives the site ({@code null} when there is none).
   */
  private Future<String> mayManage(Principal principal, String name) {
    return records.get(RedisKeys.site(name)).compose(site -> principal.mayManage(name, site)
        ? Future.succeededFuture(site)
        : Future.failedFuture(principal.mayRead(name, site)
            ? ApiError.forbidden("managing certificate " + name + " needs the manager role at its domain")
            : ApiError.notFound("no certificate " + name)));
  }

  /** What the audit keeps of a certificate: everything but the (sealed) private key. */
  private static String shown(String stored) {
    JsonObject shown = new JsonObject(stored);
    shown.remove("privateKey");
    shown.remove("certificatePem");
    return shown.encode();
  }

  private record Checked(X509Certificate leaf, List<String> names) {
  }

  /** Validates an upload; runs on a worker (parsing and signing are not free). */
  private static Checked check(String name, String certificatePem, String privateKeyPem) {
    List<X509Certificate> chain;
    try {
      chain = Pem.certificates(certificatePem);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("certificatePem", "the certificate chain does not parse as PEM X.509");
    }
    if (chain.isEmpty()) {
      throw ApiError.badRequest("certificatePem", "no certificate in certificatePem");
    }
    X509Certificate leaf = chain.get(0);
    if (leaf.getNotAfter().getTime() < System.currentTimeMillis()) {
      throw ApiError.badRequest("certificatePem", "the certificate expired on " + leaf.getNotAfter().toInstant());
    }
    List<String> names = new ArrayList<>();
    try {
      if (leaf.getSubjectAlternativeNames() != null) {
        leaf.getSubjectAlternativeNames().stream().filter(san -> Integer.valueOf(2).equals(san.get(0)))
            .forEach(san -> names.add(((String) san.get(1)).toLowerCase(java.util.Locale.ROOT)));
      }
    } catch (GeneralSecurityException e) {
      throw ApiError.badRequest("certificatePem", "the certificate's names do not parse");
    }
    if (!names.contains(name)) {
      throw ApiError.badRequest("certificatePem", "the certificate is for " + names + ", not " + name);
    }
    PrivateKey key = privateKey(privateKeyPem);
    if (!StoredCertificate.keyMatches(leaf, key)) {
      throw ApiError.badRequest("privateKeyPem", "the private key does not belong to the certificate");
    }
    return new Checked(leaf, names);
  }

  private static PrivateKey privateKey(String pem) {
    try {
      return Pem.privateKey(pem);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("privateKeyPem", "the private key is not an unencrypted PEM EC, RSA or Ed25519 key "
          + "(PKCS#8, PKCS#1 or SEC1): " + e.getMessage());
    }
  }

  /** The certificate name in the path: an exact name or a {@code *.parent} wildcard. */
  private static String name(RoutingContext context) {
    try {
      DomainPattern pattern = DomainPattern.parse(context.pathParam("name"));
      String text = pattern.text();
      if (text.contains("**") || (pattern.isWildcard() && !(text.startsWith("*.") && text.indexOf('*', 1) < 0))) {
        throw ApiError.badRequest("name", "a certificate is for a name or a *.parent wildcard");
      }
      return text;
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("name", e.getMessage());
    }
  }
}
