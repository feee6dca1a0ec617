package dev.portico.edge.sso;

import io.vertx.core.json.JsonObject;

import java.net.URI;

/**
 * What a provider's discovery document ({@code /.well-known/openid-configuration}) says the edge
 * needs: where to send browsers, where to trade codes, where the keys are, where sign-out is.
 * Every endpoint must be an absolute https URL (http only to loopback); the issuer must be the one configured (OpenID
 * Connect Discovery 1.0, section 4.3: a document naming another issuer is not this provider's).
 *
 * @param endSession the end-session endpoint, or {@code null} when the provider offers none
 */
record Discovery(String authorization, String token, String jwks, String endSession) {

  /** @throws IllegalArgumentException when the document is not usable for {@code issuer} */
  static Discovery parse(JsonObject document, String issuer) {
    if (document == null) {
      throw new IllegalArgumentException("the discovery document is not a JSON object");
    }
    if (!issuer.equals(document.getValue("issuer"))) {
      throw new IllegalArgumentException("the discovery document names another issuer");
    }
    return new Discovery(url(document, "authorization_endpoint", true), url(document, "token_endpoint", true),
        url(document, "jwks_uri", true), url(document, "end_session_endpoint", false));
  }

  private static String url(JsonObject document, String field, boolean required) {
    Object value = document.getValue(field);
    if (value == null && !required) {
      return null;
    }
    if (value instanceof String text && text.length() <= 2048) {
      try {
        URI uri = new URI(text);
        // as for the issuer: https, or http to loopback only (the client secret goes to the token endpoint)
        if (uri.getHost() != null && uri.getRawFragment() == null && ("https".equals(uri.getScheme())
            || "http".equals(uri.getScheme()) && isLoopback(uri.getHost()))) {
          return text;
        }
      } catch (java.net.URISyntaxException e) {
        // falls through to the refusal
      }
    }
    throw new IllegalArgumentException("the discovery document's " + field + " is not an https URL");
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
  }
}
