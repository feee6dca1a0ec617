package dev.portico.launcher;

import java.util.Map;

/**
 * The environment, read only by the names in {@link PorticoConfig#ENV_NAMES}; blank values count
 * as unset. The static readers turn one variable into a checked value and name the variable in
 * every {@link ConfigException}.
 */
final class ConfigEnv {

  private final Map<String, String> variables;

  ConfigEnv(Map<String, String> variables) {
    this.variables = variables;
  }

  String get(String name) {
    if (!PorticoConfig.ENV_NAMES.contains(name)) {
      throw new IllegalStateException(name + " is read but missing from PorticoConfig.ENV_NAMES");
    }
    String value = variables.get(name);
    return value == null || value.isBlank() ? null : value;
  }

  String getOrDefault(String name, String defaultValue) {
    String value = get(name);
    return value == null ? defaultValue : value;
  }

  static int port(ConfigEnv env, String name, int defaultValue) {
    int port = integer(env, name, defaultValue);
    if (port < 1 || port > 65535) {
      throw new ConfigException(name + "=" + port + " is not a port (1-65535)");
    }
    return port;
  }

  static int integerBetween(ConfigEnv env, String name, int defaultValue, int min, int max) {
    int value = integer(env, name, defaultValue);
    if (value < min || value > max) {
      throw new ConfigException(name + "=" + value + " must be between " + min + " and " + max);
    }
    return value;
  }

  /** A whole number in [{@code min}, {@code max}] from {@code env}, or {@code defaultValue} when unset. */
  static long longBetween(ConfigEnv env, String name, long defaultValue, long min, long max) {
    String text = env.get(name);
    long value;
    try {
      value = text == null ? defaultValue : Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(name + "='" + text + "' is not a number");
    }
    if (value < min || value > max) {
      throw new ConfigException(name + "=" + value + " must be between " + min + " and " + max);
    }
    return value;
  }

  static int positive(ConfigEnv env, String name, int defaultValue) {
    int value = integer(env, name, defaultValue);
    if (value < 1) {
      throw new ConfigException(name + "=" + value + " must be at least 1");
    }
    return value;
  }

  private static int integer(ConfigEnv env, String name, int defaultValue) {
    String value = env.get(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(name + "='" + value + "' is not a number");
    }
  }

  static boolean onOff(ConfigEnv env, String name, boolean defaultValue) {
    String value = env.get(name);
    if (value == null) {
      return defaultValue;
    }
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "on", "true", "yes", "1" -> true;
      case "off", "false", "no", "0" -> false;
      default -> throw new ConfigException(name + "='" + value + "' must be on or off");
    };
  }

  /** {@code ip:port} ({@code [ip]:port} for IPv6) from an IP address with an optional port (53). */
  static String ipAndPort(String variable, String value) {
    String address = value.trim();
    boolean hasPort = address.startsWith("[") ? address.contains("]:") : address.indexOf(':') == address.lastIndexOf(':')
        && address.indexOf(':') > 0;
    String hostPart = hasPort ? address.substring(0, address.lastIndexOf(':')) : address;
    String host = hostPart.replace("[", "").replace("]", "");
    if (io.netty.util.NetUtil.createByteArrayFromIpAddressString(host) == null) {
      throw new ConfigException(variable + "='" + value + "' is not an IP address with an optional port");
    }
    int port = hasPort ? parsePort(variable, address.substring(address.lastIndexOf(':') + 1)) : 53;
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  private static int parsePort(String name, String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new ConfigException(name + " has an invalid port '" + text + "'");
  }
}
