package dev.portico.admin;

/**
 * Who is calling: a user signed in with a JWT, or an API token acting for its owner. A
 * read-only API token may only read; a {@code user} may only touch the sites it owns.
 *
 * @param userId the caller's user id, which the token names (a user of the same name made later has
 *     another id, so the token does not pass to it)
 * @param role the role in the user's record when the request came, never what the token says
 * @param jti the JWT's id (for logout), {@code null} for API tokens
 * @param expiresAtSeconds the JWT's expiry (epoch seconds), 0 for API tokens
 */
record Principal(String username, String userId, Role role, boolean readOnly, String jti, long expiresAtSeconds) {

  enum Role {
    ADMIN, USER;

    String json() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Role fromJson(String value) {
      return "admin".equals(value) ? ADMIN : USER;
    }
  }

  boolean isAdmin() {
    return role == Role.ADMIN;
  }

  void requireAdmin() {
    if (!isAdmin()) {
      throw ApiError.forbidden("this needs the admin role");
    }
  }

  void requireWrite() {
    if (readOnly) {
      throw ApiError.forbidden("this API token is read-only");
    }
  }
}
