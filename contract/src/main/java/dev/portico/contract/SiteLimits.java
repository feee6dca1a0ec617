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
  /** A PEM public key (RSA 8192 is about 1.5 KiB). */
  public static final int MAX_PEM_CHARS = 16 * 1024;

  private SiteLimits() {
  }
}
