package dev.portico.edge.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The TLS engine of the HTTPS listener: BoringSSL (netty-tcnative) when it loads — about twice
 * the JDK's full-handshake rate here — else the JDK's; {@code PORTICO_TLS_ENGINE} forces one.
 * Either way the key manager waits (for Redis or for issuance) on a worker thread, never on an
 * event loop; with BoringSSL it answers on the event loop when the certificate is in memory
 * ({@link HandshakeTasks}).
 */
public final class TlsEngine {

  public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  /** TLS 1.3's suites, then TLS 1.2's forward-secret AEAD suites (Mozilla's "intermediate" list). */
  public static final List<String> CIPHER_SUITES = List.of(
      "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private TlsEngine() {
  }

  /**
   * The engine options for {@code choice} ({@code auto}, {@code openssl}, {@code jdk}).
   *
   * @throws IllegalArgumentException for another choice, or {@code openssl} where it does not load
   */
  public static SSLEngineOptions options(String choice) {
    return switch (choice.toLowerCase(Locale.ROOT)) {
      case "auto" -> OpenSsl.isAvailable() ? new OpenSslWithTasks() : jdk();
      case "openssl" -> {
        if (!OpenSsl.isAvailable()) {
          throw new IllegalArgumentException("PORTICO_TLS_ENGINE=openssl but OpenSSL does not load: "
              + OpenSsl.unavailabilityCause().getMessage());
        }
        yield new OpenSslWithTasks();
      }
      case "jdk" -> jdk();
      default -> throw new IllegalArgumentException("PORTICO_TLS_ENGINE must be auto, openssl or jdk");
    };
  }

  public static String describe(SSLEngineOptions options) {
    return options instanceof OpenSSLEngineOptions ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK";
  }

  private static SSLEngineOptions jdk() {
    return new JdkSSLEngineOptions().setUseWorkerThread(true);
  }

  /**
   * OpenSSL with {@link OpenSslContextOption#USE_TASKS}: the certificate callback (our key
   * manager) then runs as a delegated task, on Vert.x's worker pool when it may wait, instead of
   * inside the event loop's handshake step ({@link HandshakeTasks}). Vert.x's own factory does not
   * set it, hence this one.
   */
  static final class OpenSslWithTasks extends OpenSSLEngineOptions {

    OpenSslWithTasks() {
      setUseWorkerThread(true);
      setSessionCacheEnabled(true);
    }

    @Override
    public OpenSSLEngineOptions copy() {
      return new OpenSslWithTasks();
    }

    @Override
    public SslContextFactory sslContextFactory() {
      return new Factory();
    }
  }

  /** Certificates kept converted for BoringSSL; past it, new ones are converted per handshake (slower, still right). */
  private static final int NATIVE_KEY_CACHE_SIZE = 20_000;

  private static final class Factory implements SslContextFactory {
    private KeyManagerFactory keyManagers;
    private List<String> applicationProtocols = List.of();
    private boolean useAlpn;

    @Override
    public SslContextFactory useAlpn(boolean useAlpn) {
      this.useAlpn = useAlpn;
      return this;
    }

    @Override
    public SslContextFactory keyMananagerFactory(KeyManagerFactory kmf) {
      this.keyManagers = kmf;
      return this;
    }

    @Override
    public SslContextFactory applicationProtocols(List<String> applicationProtocols) {
      this.applicationProtocols = applicationProtocols;
      return this;
    }

    @Override
    public SslContext create() throws SSLException {
      // Netty converts a chain and key to BoringSSL's form on every handshake unless cached by alias;
      // aliases name one certificate's content (KeyMaterial), so a cached conversion is never stale.
      SslContextBuilder builder = SslContextBuilder.forServer(new OpenSslCachingX509KeyManagerFactory(keyManagers,
              NATIVE_KEY_CACHE_SIZE))
          .sslProvider(SslProvider.OPENSSL)
          .protocols(PROTOCOLS)
          .ciphers(CIPHER_SUITES)
          .option(OpenSslContextOption.USE_TASKS, true);
      if (useAlpn && !applicationProtocols.isEmpty()) {
        // OpenSSL cannot send a fatal alert on no overlap: it just does not select a protocol.
        builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, applicationProtocols));
      }
      SslContext context = builder.build();
      return keyManagers.getKeyManagers()[0] instanceof SniKeyManager keys ? new HandshakeTasks(context, keys) : context;
    }
  }
}
