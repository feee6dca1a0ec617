package dev.portico.launcher;

import java.nio.file.Path;

/**
 * The secrets in the configuration, apart so that printing the configuration never prints
 * them. PEM values may be given inline or as the path of a file.
 */
public record Secrets(String adminPassword, String jwtSecret, String jwtPrivateKey, String jwtPublicKey,
    String secretKey) {

  static Secrets fromEnvironment(ConfigEnv env) {
    return new Secrets(env.get("PORTICO_ADMIN_PASSWORD"), env.get("PORTICO_JWT_SECRET"),
        pem(env, "PORTICO_JWT_PRIVATE_KEY"), pem(env, "PORTICO_JWT_PUBLIC_KEY"), env.get("PORTICO_SECRET_KEY"));
  }

  /** A PEM value given inline, or read from the file the variable names. */
  private static String pem(ConfigEnv env, String name) {
    String value = env.get(name);
    if (value == null || value.contains("-----BEGIN")) {
      return value;
    }
    try {
      return java.nio.file.Files.readString(Path.of(value.trim()));
    } catch (java.io.IOException e) {
      throw new ConfigException(name + " is neither PEM text nor a readable file: " + value.trim());
    }
  }

  @Override
  public String toString() {
    return "Secrets[not shown]";
  }
}
