package dev.portico.edge.policy;

import dev.portico.contract.RateLimitPolicy;
import dev.portico.edge.pipeline.FilterContext;
import dev.portico.edge.pipeline.SiteFilter;
import dev.portico.edge.pipeline.Step;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A site's (or a path route's) {@code rateLimit}, per client address or per value of a header
 * ({@link RateLimiter}), counted per route; 429 past it.
 */
final class RateLimitFilter implements SiteFilter {

  private final RateLimiter limiter;
  private final RateLimitPolicy policy;

  RateLimitFilter(RateLimiter limiter, RateLimitPolicy policy) {
    this.limiter = limiter;
    this.policy = policy;
  }

  @Override
  public Step onRequest(FilterContext context) {
    String key = policy.byAddress() ? addressKey(context.clientAddress())
        : headerKey(context.request().headers().get(policy.header()));
    return Step.after(limiter.admit(context.site().counterScope(), policy, key));
  }

  /**
   * The key for a header value: the value itself when short and plain (readable in Redis), else
   * its SHA-256 — never a 32-bit hash, which clients could make collide.
   */
  static String headerKey(String value) {
    if (value == null) {
      return "h-none";
    }
    if (value.length() <= 64 && value.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':')) {
      return "h:" + value;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return "h#" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String addressKey(byte[] address) {
    return address == null ? "none" : HexFormat.of().formatHex(address);
  }
}
