package dev.portico.contract;

import io.vertx.core.json.JsonObject;

/**
 * A site's {@code "cache"} field: the edge answers from its response cache what RFC 9111 lets a
 * shared cache store.
 *
 * <pre>{"defaultTtlSeconds": 60, "maxObjectBytes": 1048576, "shared": false}</pre>
 *
 * @param defaultTtlSeconds freshness of a cacheable response that states none (0: such responses are not stored)
 * @param maxObjectBytes    largest body stored; a larger one is relayed and not stored
 * @param shared            on a site with basic auth or a JWT, the operator's statement that its
 *                          responses are the same for every user (else the cache is bypassed there)
 */
public record CacheSettings(long defaultTtlSeconds, long maxObjectBytes, boolean shared) {

  public static final long DEFAULT_TTL_SECONDS = 60;
  public static final long DEFAULT_MAX_OBJECT_BYTES = 1L << 20;
  /** A year: longer defaults are a typo, not a plan. */
  static final long MAX_TTL_SECONDS = 31_536_000L;
  /** 64 MiB: a larger object would crowd the node's store (which keeps none over a tenth of itself anyway). */
  static final long MAX_OBJECT_BYTES = 64L << 20;

  /** The site's settings, or null when it has no {@code cache} field (no caching). */
  static CacheSettings fromJson(JsonObject site) {
    Object value = site.getValue("cache");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject json)) {
      throw new InvalidSiteException("cache", "cache must be an object");
    }
    for (String field : json.fieldNames()) {
      if (!field.equals("defaultTtlSeconds") && !field.equals("maxObjectBytes") && !field.equals("shared")) {
        throw new InvalidSiteException("cache", "cache has only defaultTtlSeconds, maxObjectBytes and shared");
      }
    }
    Object shared = json.getValue("shared", false);
    if (!(shared instanceof Boolean)) {
      throw new InvalidSiteException("cache.shared", "cache.shared must be true or false");
    }
    return new CacheSettings(number(json, "defaultTtlSeconds", DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS),
        number(json, "maxObjectBytes", DEFAULT_MAX_OBJECT_BYTES, MAX_OBJECT_BYTES), (Boolean) shared);
  }

  JsonObject toJson() {
    return new JsonObject().put("defaultTtlSeconds", defaultTtlSeconds).put("maxObjectBytes", maxObjectBytes)
        .put("shared", shared);
  }

  private static long number(JsonObject json, String field, long defaultValue, long max) {
    Object value = json.getValue(field, defaultValue);
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0
        || ((Number) value).longValue() > max) {
      throw new InvalidSiteException("cache." + field, "cache." + field + " must be an integer from 0 to " + max);
    }
    return ((Number) value).longValue();
  }
}
