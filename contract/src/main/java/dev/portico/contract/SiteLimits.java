package dev.portico.contract;

/**
 * How large a site may be. A site is read by every edge that serves it, from JSON that a tenant
 * wrote (or anyone with Redis access), so the parser bounds what it accepts and the work it does;
 * the README's site fields and the OpenAPI schema list the same limits.
 */
public final class SiteLimits {

  /** The whole site's JSON, in characters (the admin API takes bodies of 64 KiB). */
  public static final int MAX_JSON_CHARS = 256 * 1024;
  public static final int MAX_TARGETS = 64;
  /** Headers in each of {@code set} and {@code remove}. */
  public static final int MAX_HEADER_RULES = 64;
  /** Ranges in each of {@code ipAllow}, {@code ipDeny}, {@code trustedProxies}. */
  public static final int MAX_ADDRESS_RANGES = 256;
  public static final int MAX_BASIC_AUTH_USERS = 256;
  public static final int MAX_JWT_KEYS = 16;
  /** Entries in {@code jwt.pathPrefixes} and in {@code jwt.claimHeaders}. */
  public static final int MAX_JWT_ENTRIES = 64;
  /** Any text field (names, URLs, prefixes, secrets, hashes, header values). */
  public static final int MAX_TEXT_CHARS = 4096;
  /** A PEM public key (RSA 8192 is about 1.5 KiB). */
  public static final int MAX_PEM_CHARS = 16 * 1024;

  private SiteLimits() {
  }
}
