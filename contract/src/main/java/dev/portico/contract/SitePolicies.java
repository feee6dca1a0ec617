package dev.portico.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a site asks the edge to do besides proxying, each part optional in the site's JSON:
 *
 * <pre>{"compression": true,                        (default true)
 *  "requestHeaders": {"set": {"X-Env": "prod"}, "remove": ["X-Debug"]},
 *  "responseHeaders": {"set": {...}, "remove": ["Server"]},
 *  "hsts": {"maxAge": 31536000, "includeSubDomains": true, "preload": false},
 *  "ipAllow": ["10.0.0.0/8"], "ipDeny": ["10.6.6.0/24"],
 *  "trustedProxies": ["10.0.0.0/8"],           (whose X-Forwarded-For names the client)
 *  "basicAuth": {"realm": "shop", "users": {"alice": "pbkdf2-sha256$..."}},
 *  "rateLimit": {"requests": 100, "perSeconds": 60, "by": "ip" | "header:X-Api-Key"},
 *  "jwt": {"pathPrefixes": ["/api/"], "keys": [{"alg": "HS256", "secret": "..."},
 *          {"alg": "RS256" | "ES256", "publicKey": "-----BEGIN PUBLIC KEY-----..."}],
 *          "jwksUrl": "https://idp.example/.well-known/jwks.json", "issuer": "...", "audience": "...",
 *          "claimHeaders": {"sub": "X-User-Id"}},
 *  "sso": {"provider": "corp", "allowGroups": ["web-team"], "claimHeaders": {"email": "X-User-Email"}},
 *  "loadBalancing": "round-robin" | "least-pending",
 *  "retries": 1,                               (idempotent requests, on connect failure)
 *  "cache": {"defaultTtlSeconds": 60, "maxObjectBytes": 1048576, "shared": false},  ({@link CacheSettings})
 *  "proxyProtocol": "v1" | "v2"}                (a PROXY protocol header on each backend connection)</pre>
 */
public record SitePolicies(boolean compression, HeaderRules requestHeaders, HeaderRules responseHeaders, Hsts hsts,
    List<Cidr> ipAllow, List<Cidr> ipDeny, List<Cidr> trustedProxies, BasicAuth basicAuth, RateLimit rateLimit,
    Jwt jwt, LoadBalancing loadBalancing, int retries, CacheSettings cache, SsoPolicy sso, ProxyProtocol proxyProtocol) {

  /** The site fields that hold policies. */
  public static final Set<String> FIELDS = Set.of("compression", "requestHeaders", "responseHeaders", "hsts",
      "ipAllow", "ipDeny", "trustedProxies", "basicAuth", "rateLimit", "jwt", "loadBalancing", "retries", "cache",
      "sso", "proxyProtocol");
  public static final int MAX_RETRIES = 3;
  public static final SitePolicies NONE = new SitePolicies(true, HeaderRules.NONE, HeaderRules.NONE, null,
      List.of(), List.of(), List.of(), null, null, null, LoadBalancing.ROUND_ROBIN, 0, null, null, ProxyProtocol.NONE);

  public SitePolicies {
    ipAllow = List.copyOf(ipAllow);
    ipDeny = List.copyOf(ipDeny);
    trustedProxies = List.copyOf(trustedProxies);
  }

  public enum LoadBalancing { ROUND_ROBIN, LEAST_PENDING }

  /** Whether the edge opens each backend connection with a PROXY protocol header naming the client, and which version. */
  public enum ProxyProtocol {
    NONE, V1, V2;

    String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Headers to set (replacing what is there) and to remove. */
  public record HeaderRules(Map<String, String> set, List<String> remove) {
    public static final HeaderRules NONE = new HeaderRules(Map.of(), List.of());

    public HeaderRules {
      set = Map.copyOf(set);
      remove = List.copyOf(remove);
    }

    public boolean isEmpty() {
      return set.isEmpty() && remove.isEmpty();
    }
  }

  public record Hsts(long maxAge, boolean includeSubDomains, boolean preload) {
    /** The header value. */
    public String value() {
      return "max-age=" + maxAge + (includeSubDomains ? "; includeSubDomains" : "") + (preload ? "; preload" : "");
    }
  }

  /** Users and their PBKDF2 password hashes (as the admin API stores passwords). */
  public record BasicAuth(String realm, Map<String, String> users) {
    public BasicAuth {
      users = Map.copyOf(users);
    }
  }

  /**
   * At most {@code requests} per {@code perSeconds} window for each key: the client address
   * ({@code by: "ip"}) or the value of a request header ({@code by: "header:<name>"}).
   */
  public record RateLimit(int requests, int perSeconds, String header) {
    public boolean byAddress() {
      return header == null;
    }
  }

  /**
   * JWTs required on the paths under {@code pathPrefixes} (default: all), checked against the
   * given keys and/or the keys published at {@code jwksUrl}; chosen claims are passed to the
   * backend as headers (and those headers, if a client sends them, are always dropped). Prefixes
   * are kept in {@link RequestPath#prefixForm} (lower case, no path parameters) and compared with
   * a request's normalised path: a prefix guards every spelling of the paths under it.
   */
  public record Jwt(List<String> pathPrefixes, List<JwtKey> keys, String jwksUrl, String issuer, String audience,
      Map<String, String> claimHeaders) {
    public static final Set<String> ALGORITHMS = Set.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512",
        "ES256", "ES384", "ES512", "PS256");

    public Jwt {
      pathPrefixes = pathPrefixes.stream().map(RequestPath::prefixForm).distinct().toList();
      keys = List.copyOf(keys);
      claimHeaders = Map.copyOf(claimHeaders);
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
  }

  /** One verification key: an HMAC {@code secret}, or a PEM {@code publicKey}. */
  public record JwtKey(String alg, String secret, String publicKey) {
  }

  /** Whether anything beyond the defaults is asked for (the edge skips all policy work if not). */
  public boolean isDefault() {
    return equals(NONE);
  }

  static SitePolicies fromJson(JsonObject json) {
    return new SitePolicies(
        bool(json, "compression", true),
        headerRules(json, "requestHeaders"),
        headerRules(json, "responseHeaders"),
        hsts(json),
        cidrs(json, "ipAllow"),
        cidrs(json, "ipDeny"),
        cidrs(json, "trustedProxies"),
        basicAuth(json),
        rateLimit(json),
        jwt(json),
        loadBalancing(json),
        integer(json, "retries", 0, 0, MAX_RETRIES),
        CacheSettings.fromJson(json),
        SsoPolicy.fromJson(json.getValue("sso")),
        proxyProtocol(json));
  }

  void toJson(JsonObject json) {
    if (!compression) {
      json.put("compression", false);
    }
    headerRulesToJson(json, "requestHeaders", requestHeaders);
    headerRulesToJson(json, "responseHeaders", responseHeaders);
    if (hsts != null) {
      json.put("hsts", new JsonObject().put("maxAge", hsts.maxAge).put("includeSubDomains", hsts.includeSubDomains)
          .put("preload", hsts.preload));
    }
    cidrsToJson(json, "ipAllow", ipAllow);
    cidrsToJson(json, "ipDeny", ipDeny);
    cidrsToJson(json, "trustedProxies", trustedProxies);
    if (basicAuth != null) {
      json.put("basicAuth", new JsonObject().put("realm", basicAuth.realm)
          .put("users", new JsonObject(new LinkedHashMap<>(basicAuth.users))));
    }
    if (rateLimit != null) {
      json.put("rateLimit", new JsonObject().put("requests", rateLimit.requests).put("perSeconds", rateLimit.perSeconds)
          .put("by", rateLimit.byAddress() ? "ip" : "header:" + rateLimit.header));
    }
    if (jwt != null) {
      JsonArray keys = new JsonArray();
      jwt.keys.forEach(key -> keys.add(withoutNulls(new JsonObject().put("alg", key.alg).put("secret", key.secret)
          .put("publicKey", key.publicKey))));
      // no nulls: what a read shows can be written back as it is (the admin API's schema has no null fields)
      json.put("jwt", withoutNulls(new JsonObject().put("pathPrefixes", new JsonArray(jwt.pathPrefixes)).put("keys", keys)
          .put("jwksUrl", jwt.jwksUrl).put("issuer", jwt.issuer).put("audience", jwt.audience)
          .put("claimHeaders", new JsonObject(new LinkedHashMap<>(jwt.claimHeaders)))));
    }
    if (loadBalancing != LoadBalancing.ROUND_ROBIN) {
      json.put("loadBalancing", "least-pending");
    }
    if (retries > 0) {
      json.put("retries", retries);
    }
    if (cache != null) {
      json.put("cache", cache.toJson());
    }
    if (sso != null) {
      json.put("sso", sso.toJson());
    }
    if (proxyProtocol != ProxyProtocol.NONE) {
      json.put("proxyProtocol", proxyProtocol.json());
    }
  }

  private static JsonObject withoutNulls(JsonObject json) {
    json.fieldNames().removeIf(field -> json.getValue(field) == null);
    return json;
  }

  private static boolean bool(JsonObject json, String field, boolean defaultValue) {
    Object value = json.getValue(field);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Boolean b)) {
      throw new InvalidSiteException(field, field + " must be true or false");
    }
    return b;
  }

  private static int integer(JsonObject json, String field, int defaultValue, int min, int max) {
    Object value = json.getValue(field);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
        || ((Number) value).longValue() > max) {
      throw new InvalidSiteException(field, field + " must be an integer from " + min + " to " + max);
    }
    return ((Number) value).intValue();
  }

  private static JsonObject object(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof JsonObject)) {
      throw new InvalidSiteException(field, field + " must be an object");
    }
    return (JsonObject) value;
  }

  private static HeaderRules headerRules(JsonObject json, String field) {
    JsonObject rules = object(json, field);
    if (rules == null) {
      return HeaderRules.NONE;
    }
    Map<String, String> set = new LinkedHashMap<>();
    JsonObject setJson = object(rules, "set") == null ? new JsonObject() : rules.getJsonObject("set");
    entries(setJson, field + ".set", SiteLimits.MAX_HEADER_RULES);
    for (String name : setJson.fieldNames()) {
      if (!isToken(name) || !(setJson.getValue(name) instanceof String value) || !isFieldValue(value)) {
        throw new InvalidSiteException(field + ".set", "header names are tokens and values printable text: " + name);
      }
      set.put(name, value);
    }
    List<String> remove = new ArrayList<>();
    for (Object name : array(rules, "remove", field + ".remove", SiteLimits.MAX_HEADER_RULES)) {
      if (!(name instanceof String text) || !isToken(text)) {
        throw new InvalidSiteException(field + ".remove", "header names are tokens: " + name);
      }
      remove.add(text);
    }
    return new HeaderRules(set, remove);
  }

  private static Hsts hsts(JsonObject json) {
    JsonObject hsts = object(json, "hsts");
    if (hsts == null) {
      return null;
    }
    Object maxAge = hsts.getValue("maxAge", 31_536_000L);
    if (!(maxAge instanceof Integer || maxAge instanceof Long) || ((Number) maxAge).longValue() < 0) {
      throw new InvalidSiteException("hsts.maxAge", "hsts.maxAge is a number of seconds");
    }
    return new Hsts(((Number) maxAge).longValue(), bool(hsts, "includeSubDomains", false), bool(hsts, "preload", false));
  }

  private static List<Cidr> cidrs(JsonObject json, String field) {
    List<Cidr> cidrs = new ArrayList<>();
    for (Object value : array(json, field, field, SiteLimits.MAX_ADDRESS_RANGES)) {
      try {
        cidrs.add(Cidr.parse(String.valueOf(value)));
      } catch (IllegalArgumentException e) {
        throw new InvalidSiteException(field, e.getMessage());
      }
    }
    return cidrs;
  }

  private static BasicAuth basicAuth(JsonObject json) {
    JsonObject auth = object(json, "basicAuth");
    if (auth == null) {
      return null;
    }
    JsonObject users = object(auth, "users");
    if (users == null || users.isEmpty()) {
      throw new InvalidSiteException("basicAuth.users", "basicAuth.users maps user names to password hashes");
    }
    entries(users, "basicAuth.users", SiteLimits.MAX_BASIC_AUTH_USERS);
    Map<String, String> hashes = new LinkedHashMap<>();
    for (String user : users.fieldNames()) {
      if (user.isEmpty() || user.length() > SiteLimits.MAX_TEXT_CHARS || user.indexOf(':') >= 0
          || !(users.getValue(user) instanceof String hash) || !hash.startsWith("pbkdf2-sha256$")
          || hash.length() > SiteLimits.MAX_TEXT_CHARS) {
        throw new InvalidSiteException("basicAuth.users", "each user maps to a pbkdf2-sha256 hash (the admin API hashes"
            + " plain passwords given as {\"password\": \"...\"})");
      }
      hashes.put(user, hash);
    }
    Object realm = auth.getValue("realm", "restricted");
    if (!(realm instanceof String text) || !isFieldValue(text) || text.indexOf('"') >= 0) {
      throw new InvalidSiteException("basicAuth.realm", "basicAuth.realm is printable text without quotes");
    }
    return new BasicAuth(text, hashes);
  }

  private static RateLimit rateLimit(JsonObject json) {
    JsonObject limit = object(json, "rateLimit");
    if (limit == null) {
      return null;
    }
    int requests;
    int perSeconds;
    try {
      requests = integer(limit, "requests", -1, 1, 1_000_000_000);
      perSeconds = integer(limit, "perSeconds", -1, 1, 86_400);
    } catch (InvalidSiteException e) {
      throw new InvalidSiteException("rateLimit." + e.field(), "rateLimit." + e.getMessage());
    }
    if (requests < 0 || perSeconds < 0) {
      throw new InvalidSiteException("rateLimit", "rateLimit needs requests and perSeconds");
    }
    Object by = limit.getValue("by", "ip");
    if ("ip".equals(by)) {
      return new RateLimit(requests, perSeconds, null);
    }
    if (by instanceof String text && text.startsWith("header:") && isToken(text.substring(7))) {
      return new RateLimit(requests, perSeconds, text.substring(7).toLowerCase(Locale.ROOT));
    }
    throw new InvalidSiteException("rateLimit.by", "rateLimit.by is \"ip\" or \"header:<name>\"");
  }

  private static Jwt jwt(JsonObject json) {
    JsonObject jwt = object(json, "jwt");
    if (jwt == null) {
      return null;
    }
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
    List<JwtKey> keys = new ArrayList<>();
    for (Object key : array(jwt, "keys", "jwt.keys", SiteLimits.MAX_JWT_KEYS)) {
      // a JSON number as alg would fail getString with a ClassCastException, not as an invalid site
      if (!(key instanceof JsonObject object) || !(object.getValue("alg") instanceof String alg)
          || !Jwt.ALGORITHMS.contains(alg)) {
        throw new InvalidSiteException("jwt.keys", "each key has an alg of " + Jwt.ALGORITHMS);
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
      keys.add(new JwtKey(alg, secret, publicKey));
    }
    Object jwksUrl = jwt.getValue("jwksUrl");
    if (jwksUrl != null && !(jwksUrl instanceof String url && url.length() <= SiteLimits.MAX_TEXT_CHARS && isHttpUrl(url))) {
      throw new InvalidSiteException("jwt.jwksUrl", "jwt.jwksUrl is an http(s) URL with a host");
    }
    if (keys.isEmpty() && jwksUrl == null) {
      throw new InvalidSiteException("jwt", "jwt needs keys or a jwksUrl");
    }
    Map<String, String> claimHeaders = new LinkedHashMap<>();
    JsonObject claims = object(jwt, "claimHeaders") == null ? new JsonObject() : jwt.getJsonObject("claimHeaders");
    entries(claims, "jwt.claimHeaders", SiteLimits.MAX_CLAIM_HEADERS);
    for (String claim : claims.fieldNames()) {
      if (!(claims.getValue(claim) instanceof String header) || !isToken(header)) {
        throw new InvalidSiteException("jwt.claimHeaders", "claimHeaders maps claim names to header names");
      }
      claimHeaders.put(claim, header);
    }
    return new Jwt(prefixes, keys, (String) jwksUrl, optionalText(jwt, "issuer"), optionalText(jwt, "audience"),
        claimHeaders);
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

  private static LoadBalancing loadBalancing(JsonObject json) {
    Object value = json.getValue("loadBalancing", "round-robin");
    return switch (String.valueOf(value)) {
      case "round-robin" -> LoadBalancing.ROUND_ROBIN;
      case "least-pending" -> LoadBalancing.LEAST_PENDING;
      default -> throw new InvalidSiteException("loadBalancing", "loadBalancing is round-robin or least-pending");
    };
  }

  private static ProxyProtocol proxyProtocol(JsonObject json) {
    Object value = json.getValue("proxyProtocol");
    if (value == null) {
      return ProxyProtocol.NONE;
    }
    if (ProxyProtocol.V1.json().equals(value)) {
      return ProxyProtocol.V1;
    }
    if (ProxyProtocol.V2.json().equals(value)) {
      return ProxyProtocol.V2;
    }
    throw new InvalidSiteException("proxyProtocol", "proxyProtocol is \"v1\" or \"v2\" (or absent: none)");
  }

  private static JsonArray array(JsonObject json, String field, String path, int max) {
    Object value = json.getValue(field);
    if (value == null) {
      return new JsonArray();
    }
    if (!(value instanceof JsonArray array) || array.size() > max) {
      throw new InvalidSiteException(path, path + " must be an array of at most " + max + " entries");
    }
    return array;
  }

  private static void entries(JsonObject object, String path, int max) {
    if (object.size() > max) {
      throw new InvalidSiteException(path, path + " has more than " + max + " entries");
    }
  }

  private static void headerRulesToJson(JsonObject json, String field, HeaderRules rules) {
    if (!rules.isEmpty()) {
      json.put(field, new JsonObject().put("set", new JsonObject(new LinkedHashMap<>(rules.set)))
          .put("remove", new JsonArray(rules.remove)));
    }
  }

  private static void cidrsToJson(JsonObject json, String field, List<Cidr> cidrs) {
    if (!cidrs.isEmpty()) {
      json.put(field, new JsonArray(cidrs.stream().map(Cidr::toString).toList()));
    }
  }

  /** An HTTP token (RFC 9110 5.6.2), of a bounded length: what a header name may be. */
  private static boolean isToken(String text) {
    return text.length() <= 256 && FieldSyntax.isToken(text);
  }

  /** A field value of a bounded length, without controls (no header injection): {@link FieldSyntax#isFieldValue}. */
  private static boolean isFieldValue(String text) {
    return text.length() <= 4096 && FieldSyntax.isFieldValue(text);
  }
}
