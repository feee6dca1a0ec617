package dev.portico.edge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

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
final class SniKeyManager extends X509ExtendedKeyManager {

  private final CertificateStore store;
  private final Cache<String, KeyMaterial> chosen;

  SniKeyManager(CertificateStore store, int cacheSize) {
    this.store = store;
    this.chosen = Caffeine.newBuilder().maximumSize(cacheSize + 64L).expireAfterAccess(Duration.ofMinutes(10)).build();
  }

  /** The SNI host name of the handshake in progress, or null. */
  static String requestedServerName(SSLSession session) {
    if (session instanceof ExtendedSSLSession extended) {
      for (SNIServerName name : extended.getRequestedServerNames()) {
        if (name instanceof SNIHostName host) {
          return host.getAsciiName();
        }
      }
    }
    return null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    KeyMaterial material = store.forHandshake(requestedServerName(engine.getHandshakeSession()));
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
