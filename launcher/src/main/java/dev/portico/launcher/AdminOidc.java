package dev.portico.launcher;

import java.util.List;

import static dev.portico.launcher.ConfigEnv.longBetween;

/**
 * The OIDC provider admins may sign in through ({@code PORTICO_ADMIN_OIDC_*}), or {@code null}.
 * The client secret is never printed.
 */
public record AdminOidc(String issuer, String clientId, String clientSecret, String redirectUri, String groupsClaim,
    int jwksRefetchSeconds) {

  static AdminOidc fromEnvironment(ConfigEnv env) {
    String issuer = env.get("PORTICO_ADMIN_OIDC_ISSUER");
    if (issuer == null) {
      return null;
    }
    for (String name : List.of("PORTICO_ADMIN_OIDC_CLIENT_ID", "PORTICO_ADMIN_OIDC_CLIENT_SECRET",
        "PORTICO_ADMIN_OIDC_REDIRECT_URI")) {
      if (env.get(name) == null) {
        throw new ConfigException(name + " is needed with PORTICO_ADMIN_OIDC_ISSUER");
      }
    }
    for (String name : List.of("PORTICO_ADMIN_OIDC_ISSUER", "PORTICO_ADMIN_OIDC_REDIRECT_URI")) {
      String url = env.get(name).trim();
      if (!url.startsWith("https://") && !url.startsWith("http://")) {
        throw new ConfigException(name + "='" + url + "' must be an http(s):// URL");
      }
    }
    return new AdminOidc(issuer.trim(), env.get("PORTICO_ADMIN_OIDC_CLIENT_ID"),
        env.get("PORTICO_ADMIN_OIDC_CLIENT_SECRET"), env.get("PORTICO_ADMIN_OIDC_REDIRECT_URI").trim(),
        env.getOrDefault("PORTICO_ADMIN_OIDC_GROUPS_CLAIM", "groups"),
        (int) longBetween(env, "PORTICO_ADMIN_OIDC_JWKS_REFETCH_SECONDS", 60, 1, 86_400));
  }

  @Override
  public String toString() {
    return "AdminOidc[issuer=" + issuer + ", clientId=" + clientId + ", redirectUri=" + redirectUri
        + ", groupsClaim=" + groupsClaim + ", jwksRefetchSeconds=" + jwksRefetchSeconds + ", clientSecret not shown]";
  }
}
