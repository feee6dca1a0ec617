package dev.portico.edge.tls;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.portico.contract.HostName;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.internal.tcnative.SSL;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;

/**
 * The HTTPS listener's one key manager: for each handshake it asks the {@link CertificateStore}
 * for the certificate of the SNI name, so one TLS context serves every name and a replaced
 * certificate is used by the next handshake. The engine then fetches chain and key by the
 * alias chosen; aliases stay valid for a while after the store dropped their certificate, so a
 * handshake in progress is never left without its key.
 */
public final class SniKeyManager extends X509ExtendedKeyManager {

  /**
   * Session value: the SNI name as OpenSSL read it, for a name the session cannot report (see
   * {@link #requestedServerName(SSLSession)}).
   */
  private static final String RAW_SERVER_NAME = "portico.sni";
  /** Where a session keeps its {@link ServerName}, worked out at its first request. */
  private static final String SERVER_NAME = "portico.sni.canonical";

  /** Whether the client sent an SNI name, and that name made canonical (null: not a valid host name). */
  private record ServerName(boolean sent, String canonical) {
  }

  private final CertificateStore store;
  private final Cache<String, KeyMaterial> chosen;

  SniKeyManager(CertificateStore store, int cacheSize) {
    this.store = store;
    this.chosen = Caffeine.newBuilder().maximumSize(cacheSize + 64L).expireAfterAccess(Duration.ofMinutes(10)).build();
  }

  /**
   * Whether {@code host} (canonical) is the SNI name {@code session} was set up for, or the client
   * sent none. Worked out once per session and kept in it: reading the name makes Netty's OpenSSL
   * session build an {@link SNIHostName} (an IDN conversion) on every call.
   */
  public static boolean isForHost(SSLSession session, String host) {
    if (session == null) {
      return true;
    }
    ServerName name;
    if (session.getValue(SERVER_NAME) instanceof ServerName known) {
      name = known;
    } else {
      String raw = requestedServerName(session);
      name = new ServerName(raw != null, raw == null ? null : HostName.canonical(raw));
      session.putValue(SERVER_NAME, name);
    }
    return !name.sent() || host.equals(name.canonical());
  }

  /** The SNI host name of a handshake, as the client sent it (not canonical), or null. */
  private static String requestedServerName(SSLSession session) {
    if (!(session instanceof ExtendedSSLSession extended)) {
      return null;
    }
    try {
      for (SNIServerName name : extended.getRequestedServerNames()) {
        if (name instanceof SNIHostName host) {
          return host.getAsciiName();
        }
      }
      return null;
    } catch (IllegalArgumentException e) {
      // Netty's OpenSSL session makes an SNIHostName of the name, which refuses a trailing dot
      // ("good.test.": RFC 6066 forbids it, clients send it): the raw name was kept at handshake.
      return session.getValue(RAW_SERVER_NAME) instanceof String raw ? raw : null;
    }
  }

  /**
   * The SNI host name of the handshake in progress. With OpenSSL, a name the session cannot
   * report is read from OpenSSL itself and kept in the session. (The JDK's engine refuses a
   * trailing-dot name while parsing the ClientHello, before any key manager is asked.)
   */
  private static String requestedServerName(SSLEngine engine) {
    SSLSession session = engine.getHandshakeSession();
    String name = requestedServerName(session);
    if (name == null && engine instanceof ReferenceCountedOpenSslEngine openSsl) {
      name = SSL.getSniHostname(openSsl.sslPointer());
      if (name != null) {
        session.putValue(RAW_SERVER_NAME, name);
      }
    }
    return name;
  }

  /**
   * Whether the certificate for this handshake is in memory, so that choosing it waits for
   * nothing and may run on the event loop ({@link HandshakeTasks}).
   */
  boolean answersAtOnce(SSLEngine engine) {
    return store.inMemory(requestedServerName(engine)) != null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    KeyMaterial material = store.forHandshake(requestedServerName(engine));
    if (material == null || !material.serves(keyType)) {
      return null;
    }
    chosen.put(material.alias(), material);
    return material.alias();
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    KeyMaterial material = chosen.getIfPresent(alias);
    return material == null ? null : material.chain().clone();
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    KeyMaterial material = chosen.getIfPresent(alias);
    return material == null ? null : material.key();
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
