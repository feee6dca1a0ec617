package dev.portico.admin;

import dev.portico.contract.DomainPattern;

/**
 * Who is calling: a user signed in with a JWT (local or through the admin's OIDC provider), or an
 * API token acting for its creator. The permissions are the creator's as read on this request
 * (never what a token says), and a read-only API token holds at most {@code viewer} of them.
 *
 * @param username the caller's name; for an OIDC sign-in {@code <name>@oidc}, which no local user can have
 * @param userId the caller's user id, which the token names (a user of the same name made later has
 *     another id, so the token does not pass to it); the IdP subject for an OIDC sign-in
 * @param local whether a local user record stands behind the caller (OIDC sign-ins have none)
 * @param jti the JWT's id (for logout), {@code null} for API tokens
 * @param expiresAtSeconds the JWT's expiry (epoch seconds), 0 for API tokens
 */
record Principal(String username, String userId, boolean local, Permissions permissions, boolean readOnly, String jti,
    long expiresAtSeconds) {

  /** The caller's role over every host of {@code name}; a read-only token's is at most {@code viewer}. */
  Role roleAt(DomainPattern name) {
    return capped(permissions.at(name));
  }

  Role globalRole() {
    return capped(permissions.global());
  }

  private Role capped(Role role) {
    return readOnly && role != null ? Role.VIEWER : role;
  }

  /** Whether the caller owns the stored site (owners manage their own sites whatever their grants). */
  boolean owns(String storedSite) {
    return local && storedSite != null && username.equals(SitesApi.ownerOf(storedSite));
  }

  boolean mayRead(String pattern, String storedSite) {
    return owns(storedSite) || has(Role.VIEWER, pattern);
  }

  boolean mayManage(String pattern, String storedSite) {
    return !readOnly && (owns(storedSite) || has(Role.MANAGER, pattern));
  }

  /** Whether the caller holds at least {@code needed} over every host of {@code name}. */
  boolean has(Role needed, String name) {
    Role role;
    try {
      role = roleAt(DomainPattern.parse(name));
    } catch (IllegalArgumentException notAName) {
      role = globalRole();                               // a stored name that is no pattern: only global roles cover it
    }
    return role != null && role.includes(needed);
  }

  boolean hasGlobal(Role needed) {
    Role role = globalRole();
    return role != null && role.includes(needed);
  }

  boolean isGlobalAdmin() {
    return permissions.global() == Role.ADMIN;
  }

  /** Users, groups, grants, DNS providers, the audit log: a global admin's (read-only tokens read). */
  void requireGlobalAdmin() {
    if (!isGlobalAdmin()) {
      throw ApiError.forbidden("this needs the admin role at the global scope");
    }
  }

  void requireWrite() {
    if (readOnly) {
      throw ApiError.forbidden("this API token is read-only");
    }
  }

  /** The legacy summary {@code /auth/me} and the login answer still show: {@code admin} or {@code user}. */
  String legacyRole() {
    return isGlobalAdmin() ? "admin" : "user";
  }
}
