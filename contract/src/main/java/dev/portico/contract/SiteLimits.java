package dev.portico.contract;

/**
 * How large a site may be. A site is read by every edge that serves it, from JSON that a tenant
 * wrote (or anyone with Redis access), so the parser bounds what it accepts and the work it does.
 * The counts are the admin API's (its OpenAPI schema, which also caps some texts tighter), so
 * whatever the API accepts parses; the README's site section lists them.
 */
public final class SiteLimits {

  /** The whole site's JSON, in characters (the admin API takes bodies of 64 KiB). */
  public static final int MAX_JSON_CHARS = 256 * 1024;
  public static final int MAX_TARGETS = 64;
  /** Headers in each of {@code set} and {@code remove}. */
  public static final int MAX_HEADER_RULES = 100;
  /** Ranges in each of {@code ipAllow}, {@code ipDeny}, {@code trustedProxies}. */
  public static final int MAX_ADDRESS_RANGES = 1000;
  public static final int MAX_BASIC_AUTH_USERS = 1000;
  public static final int MAX_JWT_KEYS = 20;
  public static final int MAX_PATH_PREFIXES = 100;
  public static final int MAX_CLAIM_HEADERS = 50;
  /** Any text field (names, URLs, prefixes, secrets, hashes, header values). */
  public static final int MAX_TEXT_CHARS = 4096;
  /** Entries of {@code routes}. */
  public static final int MAX_ROUTES = 500;
  /**
   * Regex routes: each may cost a scan of the path per request that reaches the regexes (RE2/J is
   * linear in the path, but with a factor of the expression's size).
   */
  public static final int MAX_REGEX_ROUTES = 20;
  /** A route's regular expression, in characters. */
  public static final int MAX_REGEX_CHARS = 256;
  /** The counted repetitions of one expression ({@code {n}}, {@code {n,m}}) multiplied: the size of its program. */
  public static final int MAX_REGEX_REPEAT_PRODUCT = 1000;
  /** Longest strict path form run through regexes; a longer path that reaches them is refused (414). */
  public static final int MAX_REGEX_PATH_CHARS = 1024;
  /** A route's {@code exact}, {@code prefix} or {@code addPrefix} path. */
  public static final int MAX_ROUTE_PATH_CHARS = 1024;
  public static final int MAX_ROUTE_METHODS = 20;
  /** Headers of a {@code respond} answer. */
  public static final int MAX_RESPOND_HEADERS = 20;
  /** The body of a {@code respond} answer, in characters. */
  public static final int MAX_RESPOND_BODY_CHARS = 16 * 1024;
  /** A PEM public key (RSA 8192 is about 1.5 KiB). */
  public static final int MAX_PEM_CHARS = 16 * 1024;

  private SiteLimits() {
  }
}
