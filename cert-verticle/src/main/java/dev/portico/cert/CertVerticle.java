package dev.portico.cert;

import dev.portico.cert.dns.DnsProviders;
import dev.portico.cert.dns.TxtPropagation;
import dev.portico.contract.Addresses;
import dev.portico.contract.SecretBox;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.redis.client.Redis;
import dev.portico.contract.redis.RedisSetup;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import io.vertx.micrometer.backends.BackendRegistries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.Security;
import java.util.Optional;
import java.util.UUID;

/**
 * The certificate role: answers {@link Addresses#CERT_ISSUE} requests by issuing certificates
 * from the configured ACME server, and takes part in the cluster-wide renewal scheduler.
 */
public final class CertVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(CertVerticle.class);

  /** Longest wait, when stopping, for the issuances under way to end. */
  private static final long STOP_WAIT_MS = 20_000;

  private Redis redis;
  private WebClient http;
  private RenewalScheduler scheduler;
  private MessageConsumer<Object> consumer;
  private Dns01Responders dns01;
  private CertificateIssuer issuer;

  @Override
  public Future<?> start() {
    CertOptions options = CertOptions.fromJson(config());
    SecretBox secrets = SecretBox.fromSecret(options.secretKey());
    // the master: ACME tokens, locks, leases and certificates are all written, and read back at once
    redis = RedisSetup.fromConfig(config()).writeClient(vertx, 4, -1);
    return vertx.executeBlocking(() -> {
          Security.addProvider(new BouncyCastleProvider());
          return holderId();
        })
        .compose(holderId -> AccountKeys.loadOrCreate(vertx, redis, secrets).compose(accountKey ->
            vertx.executeBlocking(() -> new AcmeClient(options.acmeDirectory(),
                options.acmeCaBundle() == null ? null : Path.of(options.acmeCaBundle()), accountKey,
                options.acmeEmail()))).map(acme -> {
                  http = WebClient.create(vertx, new WebClientOptions().setUserAgent("Portico"));
                  dns01 = new Dns01Responders(new DnsProviders(vertx, redis, secrets, http),
                      new TxtPropagation(vertx, options.propagation()), new Dns01ZoneLocks(vertx, redis, holderId,
                          options.dns01SequenceIntervalMs()));
                  issuer = new CertificateIssuer(vertx, redis, acme, secrets, options, holderId,
                      new CertMetrics(Optional.ofNullable(config().getString("metricsRegistry"))
                          .map(BackendRegistries::getNow).orElseGet(SimpleMeterRegistry::new)), dns01);
                  consumer = vertx.eventBus().consumer(Addresses.CERT_ISSUE, message -> issue(issuer, message));
                  scheduler = new RenewalScheduler(vertx, redis, issuer, acme, options, holderId);
                  scheduler.start();
                  LOG.info("Certificate role started: ACME directory {}, node {}", options.acmeDirectory(), holderId);
                  return null;
                }));
  }

  private static void issue(CertificateIssuer issuer, Message<Object> message) {
    Object name = message.body() instanceof JsonObject request ? request.getValue("name") : null;
    if (!(name instanceof String text)) {
      message.reply(new JsonObject().put("status", IssuanceState.FAILED)
          .put("error", "the request needs {\"name\": \"...\"}"));
      return;
    }
    issuer.issue(text).onComplete(ar -> message.reply(ar.succeeded() ? ar.result()
        : new JsonObject().put("name", text).put("status", IssuanceState.FAILED)
            .put("error", "certificate store unavailable: " + ar.cause().getMessage())));
  }

  @Override
  public Future<?> stop() {
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    Future<Void> stopped = scheduler == null ? Future.succeededFuture() : scheduler.stop();
    if (dns01 != null) {
      dns01.stop();
    }
    // the issuances under way withdraw their DNS-01 records through the HTTP client: let them
    Future<Void> idle = issuer == null ? Future.succeededFuture() : issuer.stop(STOP_WAIT_MS);
    return Future.join(unregistered, stopped, idle).eventually(() -> {
      if (http != null) {
        http.close();
      }
      return redis.close();
    });
  }

  /**
   * This verticle's id in leases: {@code <pid>@<hostname>/<random>}, so an operator (or a test)
   * can tell which process holds a lease.
   */
  private static String holderId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return ProcessHandle.current().pid() + "@" + host + "/" + UUID.randomUUID().toString().substring(0, 8);
  }
}
