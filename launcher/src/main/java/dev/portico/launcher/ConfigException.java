package dev.portico.launcher;

/** Start-up cannot go on; the message is the one line the operator reads. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
