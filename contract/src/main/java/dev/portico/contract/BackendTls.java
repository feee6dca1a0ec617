package dev.portico.contract;

import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * How the edge speaks TLS to a site's {@code https://} targets, the site's {@code backendTls}:
 *
 * <pre>{"caPem": "-----BEGIN CERTIFICATE-----...",   (trust these CAs instead of the JDK's)
 *  "serverName": "api.internal",                     (SNI and the name checked; default: the target's host)
 *  "clientCertPem": "...", "clientKeyPem": "...",     (mTLS: both or neither; the key sealed in Redis)
 *  "verify": true,                                   (false: any certificate is taken; explicit only)
 *  "http2": false}                                   (offer h2 by ALPN)</pre>
 *
 * <p>TLS below 1.2 is never spoken. {@code clientKeyPem} is held as stored: sealed with
 * {@link SecretBox} under the site's Redis key by the admin API; the edge opens it.
 */
public record BackendTls(String caPem, String serverName, String clientCertPem, String clientKeyPem, boolean verify,
    boolean http2) {

  public static final BackendTls DEFAULT = new BackendTls(null, null, null, null, true, false);
  public static final Set<String> FIELDS = Set.of("caPem", "serverName", "clientCertPem", "clientKeyPem", "verify",
      "http2");

  /** The site's {@code backendTls}, or {@link #DEFAULT}. */
  static BackendTls fromJson(JsonObject site) {
    Object value = site.getValue("backendTls");
    if (value == null) {
      return DEFAULT;
    }
    if (!(value instanceof JsonObject json)) {
      throw new InvalidSiteException("backendTls", "backendTls must be an object");
    }
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new InvalidSiteException("backendTls", "backendTls has only the fields " + String.join(", ",
            new java.util.TreeSet<>(FIELDS)));
      }
    }
    String ca = text(json, "caPem");
    if (ca != null && (certificates(ca, "caPem") == 0)) {
      throw new InvalidSiteException("backendTls.caPem", "backendTls.caPem holds no certificate");
    }
    String serverName = text(json, "serverName");
    if (serverName != null && (HostName.canonical(serverName) == null || serverName.startsWith("["))) {
      throw new InvalidSiteException("backendTls.serverName", "backendTls.serverName must be a host name");
    }
    String cert = text(json, "clientCertPem");
    String key = text(json, "clientKeyPem", 2 * SiteLimits.MAX_PEM_CHARS);  // sealed: base64 and a tag
    if ((cert == null) != (key == null)) {
      throw new InvalidSiteException("backendTls", "backendTls.clientCertPem and clientKeyPem go together");
    }
    if (cert != null && certificates(cert, "clientCertPem") == 0) {
      throw new InvalidSiteException("backendTls.clientCertPem", "backendTls.clientCertPem holds no certificate");
    }
    if (key != null && !SecretBox.isStored(key)) {
      key(key);
    }
    boolean verify = bool(json, "verify", true);
    if (!verify && ca != null) {
      throw new InvalidSiteException("backendTls.verify", "backendTls.verify false takes no caPem: nothing is checked");
    }
    return new BackendTls(ca, serverName == null ? null : HostName.canonical(serverName), cert, key, verify,
        bool(json, "http2", false));
  }

  /** These settings for HTTP/1.1 only (a WebSocket handshake needs it). */
  public BackendTls http1Only() {
    return http2 ? new BackendTls(caPem, serverName, clientCertPem, clientKeyPem, verify, false) : this;
  }

  /** Whether the site's JSON holds a client key still in PEM (not yet sealed). */
  public static boolean isPlainKey(String key) {
    return key != null && !SecretBox.isStored(key);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (caPem != null) {
      json.put("caPem", caPem);
    }
    if (serverName != null) {
      json.put("serverName", serverName);
    }
    if (clientCertPem != null) {
      json.put("clientCertPem", clientCertPem).put("clientKeyPem", clientKeyPem);
    }
    if (!verify) {
      json.put("verify", false);
    }
    if (http2) {
      json.put("http2", true);
    }
    return json;
  }

  private static String text(JsonObject json, String field) {
    return text(json, field, SiteLimits.MAX_PEM_CHARS);
  }

  private static String text(JsonObject json, String field, int maxChars) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text) || text.isEmpty() || text.length() > maxChars) {
      throw new InvalidSiteException("backendTls." + field, "backendTls." + field + " must be text of at most "
          + maxChars + " characters");
    }
    return text;
  }

  private static int certificates(String pem, String field) {
    try {
      return Pem.certificates(pem).size();
    } catch (IllegalArgumentException e) {
      throw new InvalidSiteException("backendTls." + field, "backendTls." + field + ": " + e.getMessage());
    }
  }

  private static void key(String pem) {
    try {
      Pem.privateKey(pem);
    } catch (RuntimeException e) {
      throw new InvalidSiteException("backendTls.clientKeyPem", "backendTls.clientKeyPem is not a PEM private key");
    }
  }

  private static boolean bool(JsonObject json, String field, boolean defaultValue) {
    Object value = json.getValue(field);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Boolean b)) {
      throw new InvalidSiteException("backendTls." + field, "backendTls." + field + " must be true or false");
    }
    return b;
  }
}
