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
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x {@link HttpClient}s for the targets the edge's own HTTP/1.1 pools do not speak:
 * {@code https://} (TLS 1.2 or 1.3, HTTP/1.1 or h2 by ALPN) and {@code h2c://}. One client per
 * event loop, site and settings (so connections stay on the loop that uses them, and a site's
 * trust and client certificate are its own), built on first use, at most {@link #MAX_CLIENTS}
 * (the least recently used is shut down), and shut down when its site changes or goes.
 */
public final class BackendClients {

  /** Clients held at once, over every loop and site; each holds only idle connections when unused. */
  static final int MAX_CLIENTS = 1024;
  /** How long a client shut down (its site changed) lets requests under way finish. */
  private static final long SHUTDOWN_GRACE_S = 30;
  static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  private record Key(Thread loop, String site, Target.Protocol protocol, BackendTls tls) {
  }

  private final Vertx vertx;
  private final SecretBox secrets;
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
    Key key = new Key(Thread.currentThread(), site, target.protocol(), target.protocol().tls() ? tls : null);
    HttpClient client = clients.getIfPresent(key);
    if (client == null) {
      client = vertx.createHttpClient(options(key), new PoolOptions().setHttp1MaxSize(64).setHttp2MaxSize(1));
      clients.put(key, client);
    }
    return client;
  }

  /** Shuts down the clients of {@code site} (its TLS settings or targets may have changed); null: of every site. */
  public void siteChanged(String site) {
    if (site == null) {
      clients.invalidateAll();
      return;
    }
    List<Key> stale = new ArrayList<>();
    for (Key key : clients.asMap().keySet()) {
      if (key.site().equals(site)) {
        stale.add(key);
      }
    }
    clients.invalidateAll(stale);
  }

  public Future<Void> close() {
    List<Future<Void>> closed = new ArrayList<>();
    clients.asMap().values().forEach(client -> closed.add(client.close()));
    clients.asMap().clear();
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
