package dev.portico.edge;

import dev.portico.contract.Cidr;
import dev.portico.contract.IpAddresses;
import dev.portico.contract.RequestPath;
import dev.portico.contract.SitePolicies;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;

import java.util.List;

/**
 * The checks a site's policies make before a request may reach a backend, cheapest first: the
 * client's address against the allow and deny lists (403), basic authentication (401), a JWT on
 * the covered paths (401), the rate limit (429). The client's address is the connection's peer, or — when the peer is one of the
 * site's trusted proxies — the right-most address in {@code X-Forwarded-For} that is not a
 * trusted proxy itself ({@code Forwarded} and {@code X-Real-IP} are not read). Addresses are
 * compared normalised; a client whose address cannot be known is refused by address rules.
 */
final class SiteGate {

  /** Most {@code X-Forwarded-For} hops walked from the right; a longer chain of trusted proxies is no known client. */
  static final int MAX_FORWARDED_HOPS = 20;

  private final BasicAuthVerifier basicAuth;
  private final JwtGuard jwt;
  private final RateLimiter rateLimiter;

  SiteGate(BasicAuthVerifier basicAuth, JwtGuard jwt, RateLimiter rateLimiter) {
    this.basicAuth = basicAuth;
    this.jwt = jwt;
    this.rateLimiter = rateLimiter;
  }

  /** Whether any check applies to sites with these policies (if not, {@link #admit} is skipped). */
  static boolean checks(SitePolicies policies) {
    return !policies.ipAllow().isEmpty() || !policies.ipDeny().isEmpty() || policies.basicAuth() != null
        || policies.rateLimit() != null || policies.jwt() != null;
  }

  /**
   * Completes with the verified JWT's claims ({@code null} when none was needed) or fails with a
   * {@link Rejection}; {@code path} is the request's normalised path, the one the backend receives;
   * {@code tenant}: the site has an owner (its JWKS host is checked).
   */
  Future<JsonObject> admit(HttpServerRequest request, RequestPath path, String pattern, SitePolicies policies,
      boolean tenant) {
    byte[] client = clientAddress(request, policies.trustedProxies());
    if (!policies.ipDeny().isEmpty() && (client == null || anyContains(policies.ipDeny(), client))
        || !policies.ipAllow().isEmpty() && (client == null || !anyContains(policies.ipAllow(), client))) {
      return Future.failedFuture(new Rejection(403, "forbidden", "Your address may not use this site", null, null));
    }
    Future<Void> authenticated = policies.basicAuth() == null ? Future.succeededFuture()
        : basicAuth.verify(pattern, policies.basicAuth(), request.getHeader(HttpHeaders.AUTHORIZATION), client);
    Future<JsonObject> claims = policies.jwt() == null || !policies.jwt().covers(path)
        ? authenticated.map((JsonObject) null)
        : authenticated.compose(v -> jwt.verify(policies.jwt(), tenant, request.getHeader(HttpHeaders.AUTHORIZATION)));
    if (policies.rateLimit() == null) {
      return claims;
    }
    String key = policies.rateLimit().byAddress() ? addressKey(client)
        : headerKey(request.getHeader(policies.rateLimit().header()));
    return claims.compose(verified -> rateLimiter.admit(pattern, policies.rateLimit(), key).map(verified));
  }

  private static boolean anyContains(List<Cidr> ranges, byte[] address) {
    for (Cidr range : ranges) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The client's address as normalised bytes ({@link IpAddresses}), or {@code null} when it is
   * unknown: not an IP connection, or — behind a trusted proxy — an {@code X-Forwarded-For} hop
   * that is not an address (with or without a port), or more than {@link #MAX_FORWARDED_HOPS}
   * trusted hops. An unknown client fails every {@code ipAllow} and {@code ipDeny} check.
   */
  static byte[] clientAddress(HttpServerRequest request, List<Cidr> trustedProxies) {
    SocketAddress peer = request.remoteAddress();
    byte[] address = peer == null ? null : IpAddresses.parse(peer.hostAddress());
    if (address == null || trustedProxies.isEmpty() || !anyContains(trustedProxies, address)) {
      return address;
    }
    List<String> values = request.headers().getAll("X-Forwarded-For");
    if (values.isEmpty()) {
      return address;  // the trusted proxy's own request
    }
    String forwarded = String.join(",", values);
    int end = forwarded.length();
    for (int hops = 0; hops < MAX_FORWARDED_HOPS && end >= 0; hops++) {
      int comma = forwarded.lastIndexOf(',', end - 1);
      byte[] hop = IpAddresses.parseWithOptionalPort(forwarded.substring(comma + 1, end).trim());
      if (hop == null) {
        return null;  // a malformed entry: whoever wrote it is not known
      }
      if (!anyContains(trustedProxies, hop)) {
        return hop;
      }
      address = hop;
      end = comma;
    }
    return end < 0 ? address : null;
  }

  /**
   * The rate-limit key for a header value: the value itself when short and plain (readable in
   * Redis), else its SHA-256 — never a 32-bit hash, which clients could make collide.
   */
  private static String headerKey(String value) {
    if (value == null) {
      return "h-none";
    }
    if (value.length() <= 64 && value.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':')) {
      return "h:" + value;
    }
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "h#" + java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String addressKey(byte[] address) {
    return address == null ? "none" : java.util.HexFormat.of().formatHex(address);
  }
}
