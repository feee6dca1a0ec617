package dev.portico.contract;

import static dev.portico.contract.PolicyJson.array;
import static dev.portico.contract.PolicyJson.entries;
import static dev.portico.contract.PolicyJson.isToken;
import static dev.portico.contract.PolicyJson.object;
import static dev.portico.contract.PolicyJson.withoutNulls;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A site's {@code "jwt"} field: JWTs required on the paths under {@code pathPrefixes} (default:
 * all), checked against the given keys and/or the keys published at {@code jwksUrl}; chosen claims
 * are passed to the backend as headers (and those headers, if a client sends them, are always
 * dropped). Prefixes are kept in {@link RequestPath#prefixForm} (lower case, no path parameters)
 * and compared with a request's normalised path: a prefix guards every spelling of the paths under it.
 */
public record JwtPolicy(List<String> pathPrefixes, List<Key> keys, String jwksUrl, String issuer, String audience,
    Map<String, String> claimHeaders) {

  public static final Set<String> ALGORITHMS = Set.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512",
      "ES256", "ES384", "ES512", "PS256");

  public JwtPolicy {
    pathPrefixes = pathPrefixes.stream().map(RequestPath::prefixForm).distinct().toList();
    keys = List.copyOf(keys);
    claimHeaders = Map.copyOf(claimHeaders);
  }

  /** One verification key: an HMAC {@code secret}, or a PEM {@code publicKey}. */
  public record Key(String alg, String secret, String publicKey) {
  }

  public boolean covers(RequestPath path) {
    if (path == RequestPath.ASTERISK) {
      return pathPrefixes.contains("/");  // OPTIONS * asks about the whole site: covered when all of it is
    }
    for (String prefix : pathPrefixes) {
      if (path.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** The site's {@code jwt} field, or null when it has none. */
  static JwtPolicy fromJson(JsonObject site) {
    JsonObject jwt = object(site, "jwt");
    if (jwt == null) {
      return null;
    }
    List<Key> keys = keys(jwt);
    Object jwksUrl = jwt.getValue("jwksUrl");
    if (jwksUrl != null && !(jwksUrl instanceof String url && url.length() <= SiteLimits.MAX_TEXT_CHARS && isHttpUrl(url))) {
      throw new InvalidSiteException("jwt.jwksUrl", "jwt.jwksUrl is an http(s) URL with a host");
    }
    if (keys.isEmpty() && jwksUrl == null) {
      throw new InvalidSiteException("jwt", "jwt needs keys or a jwksUrl");
    }
    return new JwtPolicy(pathPrefixes(jwt), keys, (String) jwksUrl, optionalText(jwt, "issuer"),
        optionalText(jwt, "audience"), claimHeaders(jwt));
  }

  JsonObject toJson() {
    JsonArray keyList = new JsonArray();
    keys.forEach(key -> keyList.add(withoutNulls(new JsonObject().put("alg", key.alg).put("secret", key.secret)
        .put("publicKey", key.publicKey))));
    return withoutNulls(new JsonObject().put("pathPrefixes", new JsonArray(pathPrefixes)).put("keys", keyList)
        .put("jwksUrl", jwksUrl).put("issuer", issuer).put("audience", audience)
        .put("claimHeaders", new JsonObject(new LinkedHashMap<>(claimHeaders))));
  }

  private static List<String> pathPrefixes(JsonObject jwt) {
    List<String> prefixes = new ArrayList<>();
    for (Object prefix : array(jwt, "pathPrefixes", "jwt.pathPrefixes", SiteLimits.MAX_PATH_PREFIXES)) {
      if (!(prefix instanceof String text) || !text.startsWith("/") || text.length() > SiteLimits.MAX_TEXT_CHARS) {
        throw new InvalidSiteException("jwt.pathPrefixes", "path prefixes start with /");
      }
      try {
        RequestPath.prefixForm(text);
      } catch (RequestPath.InvalidPathException e) {
        throw new InvalidSiteException("jwt.pathPrefixes", "a path prefix is a path a request may have: " + e.getMessage());
      }
      prefixes.add(text);
    }
    if (prefixes.isEmpty()) {
      prefixes.add("/");
    }
    return prefixes;
  }

  private static List<Key> keys(JsonObject jwt) {
    List<Key> keys = new ArrayList<>();
    for (Object key : array(jwt, "keys", "jwt.keys", SiteLimits.MAX_JWT_KEYS)) {
      // a JSON number as alg would fail getString with a ClassCastException, not as an invalid site
      if (!(key instanceof JsonObject object) || !(object.getValue("alg") instanceof String alg)
          || !ALGORITHMS.contains(alg)) {
        throw new InvalidSiteException("jwt.keys", "each key has an alg of " + ALGORITHMS);
      }
      String secret = object.getValue("secret") instanceof String text ? text : null;
      String publicKey = object.getValue("publicKey") instanceof String text ? text : null;
      if (alg.startsWith("HS") ? secret == null || secret.length() < 32 || secret.length() > SiteLimits.MAX_TEXT_CHARS
          : publicKey == null || !publicKey.contains("-----BEGIN PUBLIC KEY-----")
          || publicKey.length() > SiteLimits.MAX_PEM_CHARS) {
        throw new InvalidSiteException("jwt.keys", alg.startsWith("HS")
            ? "an HS key has a secret of 32 to " + SiteLimits.MAX_TEXT_CHARS + " characters"
            : "an " + alg + " key has a PEM publicKey of at most " + SiteLimits.MAX_PEM_CHARS + " characters");
      }
      keys.add(new Key(alg, secret, publicKey));
    }
    return keys;
  }

  private static Map<String, String> claimHeaders(JsonObject jwt) {
    Map<String, String> claimHeaders = new LinkedHashMap<>();
    JsonObject claims = object(jwt, "claimHeaders") == null ? new JsonObject() : jwt.getJsonObject("claimHeaders");
    entries(claims, "jwt.claimHeaders", SiteLimits.MAX_CLAIM_HEADERS);
    for (String claim : claims.fieldNames()) {
      if (!(claims.getValue(claim) instanceof String header) || !isToken(header)) {
        throw new InvalidSiteException("jwt.claimHeaders", "claimHeaders maps claim names to header names");
      }
      claimHeaders.put(claim, header);
    }
    return claimHeaders;
  }

  /** An absolute http(s) URL with a host, and nothing a URI may not hold (no spaces, no CR/LF to reach a log). */
  private static boolean isHttpUrl(String url) {
    try {
      java.net.URI uri = new java.net.URI(url);
      return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null
          && uri.getRawUserInfo() == null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static String optionalText(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof String text && text.length() <= SiteLimits.MAX_TEXT_CHARS)) {
      throw new InvalidSiteException("jwt." + field, "jwt." + field + " is text of at most " + SiteLimits.MAX_TEXT_CHARS
          + " characters");
    }
    return (String) value;
  }
}
