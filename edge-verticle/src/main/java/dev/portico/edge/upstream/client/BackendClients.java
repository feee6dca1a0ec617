package dev.portico.edge.upstream.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.portico.contract.BackendTls;
import dev.portico.contract.Pem;
import dev.portico.contract.RedisKeys;
import dev.portico.contract.SecretBox;
import dev.portico.contract.Target;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x {@link HttpClient}s for the targets the edge's own HTTP/1.1 pools do not speak:
 * {@code https://} (TLS 1.2 or 1.3, HTTP/1.1 or h2 by ALPN) and {@code h2c://}, built on first use,
 * one per event loop (connections stay on the loop that uses them) and settings:
 * <ul>
 *   <li>sites without a CA or client certificate of their own share a loop's client per protocol,
 *       {@code verify} and {@code http2} (the SNI name goes with each request): a few clients, never
 *       evicted, so no tenant's number of sites costs another's connections;</li>
 *   <li>a site's own CA gets a client per CA, a client certificate one per site (its identity is
 *       never lent to another site's requests): at most {@link #MAX_CLIENTS}, the least recently
 *       used shut down, and a site's own shut down when the site changes or goes.</li>
 * </ul>
 */
public final class BackendClients {

  /** Clients for sites' own CAs or certificates held at once by one edge instance; each holds only idle connections when unused. */
  static final int MAX_CLIENTS = 1024;
  /** How long a client shut down (its site changed) lets requests under way finish. */
  private static final long SHUTDOWN_GRACE_S = 30;
  static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  /** {@code site}: only for a client certificate; {@code tls}: without the SNI name, null for h2c. */
  private record Key(Thread loop, String site, Target.Protocol protocol, BackendTls tls) {

    static Key of(String site, Target target, BackendTls tls) {
      if (!target.protocol().tls()) {
        return new Key(Thread.currentThread(), null, target.protocol(), null);
      }
      BackendTls settings = new BackendTls(tls.caPem(), null, tls.clientCertPem(), tls.clientKeyPem(), tls.verify(),
          tls.http2());
      return new Key(Thread.currentThread(), tls.clientCertPem() != null ? site : null, target.protocol(), settings);
    }

    boolean shared() {
      return site == null && (tls == null || tls.caPem() == null && tls.clientKeyPem() == null);
    }
  }

  private final Vertx vertx;
  private final SecretBox secrets;
  private final Map<Key, HttpClient> shared = new ConcurrentHashMap<>();
  private final Cache<Key, HttpClient> clients;

  public BackendClients(Vertx vertx, SecretBox secrets) {
    this.vertx = vertx;
    this.secrets = secrets;
    this.clients = Caffeine.newBuilder().maximumSize(MAX_CLIENTS).executor(Runnable::run)
        .<Key, HttpClient>removalListener((key, client, cause) -> {
          if (client != null && cause != RemovalCause.REPLACED) {
            client.shutdown(SHUTDOWN_GRACE_S, TimeUnit.SECONDS);
          }
        }).build();
  }

  /**
   * The client for a request of {@code site} to {@code target} from this thread (an event loop).
   *
   * @throws IllegalArgumentException when the site's TLS settings cannot be used (a client key
   *     that does not open with this node's secret key); the message names the problem, never the key
   */
  public HttpClient client(String site, Target target, BackendTls tls) {
    Key key = Key.of(site, target, tls);
    HttpClient client = key.shared() ? shared.get(key) : clients.getIfPresent(key);
    if (client == null) {
      client = vertx.createHttpClient(options(key), new PoolOptions().setHttp1MaxSize(64).setHttp2MaxSize(1));
      if (key.shared()) {
        shared.put(key, client);
      } else {
        clients.put(key, client);
      }
    }
    return client;
  }

  /** Shuts down the clients of {@code site}'s client certificate (it may have changed); null: every client. */
  public void siteChanged(String site) {
    if (site == null) {
      clients.invalidateAll();
      shared.values().forEach(client -> client.shutdown(SHUTDOWN_GRACE_S, TimeUnit.SECONDS));
      shared.clear();
      return;
    }
    List<Key> stale = new ArrayList<>();
    for (Key key : clients.asMap().keySet()) {
      if (site.equals(key.site())) {
        stale.add(key);
      }
    }
    clients.invalidateAll(stale);
  }

  public Future<Void> close() {
    List<Future<Void>> closed = new ArrayList<>();
    clients.asMap().values().forEach(client -> closed.add(client.close()));
    clients.asMap().clear();
    shared.values().forEach(client -> closed.add(client.close()));
    shared.clear();
    return Future.join(closed).mapEmpty();
  }

  private HttpClientOptions options(Key key) {
    HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(60)
        .setMaxHeaderSize(16 * 1024).setTcpNoDelay(true);
    if (key.protocol() == Target.Protocol.H2C) {
      return options.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
    }
    BackendTls tls = key.tls();
    options.setSsl(true).setForceSni(true).setEnabledSecureTransportProtocols(PROTOCOLS);
    if (tls.http2()) {
      options.setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2);
    }
    if (!tls.verify()) {
      options.setTrustAll(true).setVerifyHost(false);
    } else {
      options.setVerifyHost(true);
      if (tls.caPem() != null) {
        options.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(tls.caPem())));
      }
    }
    if (tls.clientCertPem() != null) {
      options.setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(tls.clientCertPem()))
          .setKeyValue(Buffer.buffer(clientKey(key.site(), tls.clientKeyPem()))));
    }
    return options;
  }

  /** The site's client key as PKCS#8 PEM (which Vert.x reads for every key type), opened from its sealed form. */
  private String clientKey(String site, String stored) {
    String pem = BackendTls.isPlainKey(stored) ? stored : secrets.open(stored, RedisKeys.site(site));
    try {
      return Pem.encode(Pem.privateKey(pem));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the site's backendTls.clientKeyPem is not a usable key: " + e.getMessage());
    }
  }
}
