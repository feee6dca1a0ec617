package dev.portico.contract;

import static dev.portico.contract.PolicyJson.integer;
import static dev.portico.contract.PolicyJson.isToken;
import static dev.portico.contract.PolicyJson.object;

import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * A site's {@code "rateLimit"} field: at most {@code requests} per {@code perSeconds} window for
 * each key, the client address ({@code by: "ip"}) or the value of a request header
 * ({@code by: "header:<name>"}, kept in {@code header} in lower case).
 */
public record RateLimitPolicy(int requests, int perSeconds, String header) {

  public boolean byAddress() {
    return header == null;
  }

  /** The site's {@code rateLimit} field, or null when it has none. */
  static RateLimitPolicy fromJson(JsonObject site) {
    JsonObject limit = object(site, "rateLimit");
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
      return new RateLimitPolicy(requests, perSeconds, null);
    }
    if (by instanceof String text && text.startsWith("header:") && isToken(text.substring(7))) {
      return new RateLimitPolicy(requests, perSeconds, text.substring(7).toLowerCase(Locale.ROOT));
    }
    throw new InvalidSiteException("rateLimit.by", "rateLimit.by is \"ip\" or \"header:<name>\"");
  }

  JsonObject toJson() {
    return new JsonObject().put("requests", requests).put("perSeconds", perSeconds)
        .put("by", byAddress() ? "ip" : "header:" + header);
  }
}
