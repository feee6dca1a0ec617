package dev.portico.launcher;

/** Where the access log goes ({@code PORTICO_ACCESS_LOG}). */
public enum AccessLog {
  STDOUT, FILE, OFF;

  static AccessLog parse(String value) {
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "stdout" -> STDOUT;
      case "file" -> FILE;
      case "off" -> OFF;
      default -> throw new ConfigException("PORTICO_ACCESS_LOG='" + value + "' must be stdout, file or off");
    };
  }
}
