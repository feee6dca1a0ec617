package dev.portico.edge.sso;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Who a verified ID token names: the user name ({@code preferred_username}, else {@code sub}), the
 * e-mail address when the provider verified it ({@code email_verified}), the groups of the provider's groups claim (at most {@link #MAX_GROUPS}), and the
 * claims themselves for the claim headers.
 */
record Identity(String user, String email, List<String> groups, JsonObject claims) {

  static final int MAX_GROUPS = 1_000;

  static Identity of(JsonObject claims, String groupsClaim) {
    String user = claims.getValue("preferred_username") instanceof String name && !name.isEmpty() ? name
        : String.valueOf(claims.getValue("sub"));
    // an e-mail a user could type into their profile would pass an allow-list meant for someone else
    String email = claims.getValue("email") instanceof String text && Boolean.TRUE.equals(claims.getValue("email_verified"))
        ? text : null;
    List<String> groups = new ArrayList<>();
    Object listed = claims.getValue(groupsClaim);
    if (listed instanceof JsonArray array) {
      for (int i = 0; i < array.size() && groups.size() < MAX_GROUPS; i++) {
        if (array.getValue(i) instanceof String group) {
          groups.add(group);
        }
      }
    } else if (listed instanceof String group) {
      groups.add(group);
    }
    return new Identity(user, email, groups, claims);
  }

  /** The provider's stable id of the user ({@code sub}). */
  String subject() {
    return claims.getString("sub");
  }
}
