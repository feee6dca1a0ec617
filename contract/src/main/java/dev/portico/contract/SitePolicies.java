package dev.portico.contract;

import static dev.portico.contract.PolicyJson.array;
import static dev.portico.contract.PolicyJson.bool;
import static dev.portico.contract.PolicyJson.entries;
import static dev.portico.contract.PolicyJson.integer;
import static dev.portico.contract.PolicyJson.isFieldValue;
import static dev.portico.contract.PolicyJson.isToken;
import static dev.portico.contract.PolicyJson.object;

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
    List<Cidr> ipAllow, List<Cidr> ipDeny, List<Cidr> trustedProxies, BasicAuthPolicy basicAuth,
    RateLimitPolicy rateLimit, JwtPolicy jwt, LoadBalancing loadBalancing, int retries, CacheSettings cache, SsoPolicy sso, ProxyProtocol proxyProtocol) {

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
        BasicAuthPolicy.fromJson(json),
        RateLimitPolicy.fromJson(json),
        JwtPolicy.fromJson(json),
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
      json.put("basicAuth", basicAuth.toJson());
    }
    if (rateLimit != null) {
      json.put("rateLimit", rateLimit.toJson());
    }
    if (jwt != null) {
      json.put("jwt", jwt.toJson());
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


}
