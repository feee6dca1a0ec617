package dev.portico.admin;

import java.util.Locale;

/**
 * What a grant lets its subject do at its scope, each role including the ones before it:
 * {@code viewer} reads sites and their certificates; {@code manager} also creates, edits and
 * deletes them; {@code admin} also chooses any user as a site's owner. Users, groups, grants, DNS
 * providers and the audit log need {@code admin} at the global scope.
 */
enum Role {
  VIEWER, MANAGER, ADMIN;

  String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  boolean includes(Role other) {
    return other != null && compareTo(other) >= 0;
  }

  /** The stronger of two roles; {@code null} is no role. */
  static Role max(Role a, Role b) {
    return a == null ? b : b == null ? a : a.compareTo(b) >= 0 ? a : b;
  }

  /** The role named {@code value}, or {@code null} when it names none (stored records written by others). */
  static Role parse(String value) {
    for (Role role : values()) {
      if (role.json().equals(value)) {
        return role;
      }
    }
    return null;
  }

  /** The role a request names; 400 otherwise. */
  static Role fromJson(String value) {
    Role role = parse(value);
    if (role == null) {
      throw ApiError.badRequest("role", "role is one of: viewer, manager, admin");
    }
    return role;
  }
}
