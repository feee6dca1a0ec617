package dev.portico.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code PORTICO_SECRET_KEY} a node runs with, which seals private keys, DNS credentials and
 * the admin API's JWT signing key in Redis, so that reading Redis is not enough to use them:
 * the configured one; else, on a single node with the embedded Redis, a random key made on the
 * first start and kept in {@code secret.key} under the data directory (mode 0600); else (an
 * external Redis, which other nodes share) start-up is refused: every node must be given the
 * same key. A node running only the lookup role holds no secrets and needs none.
 */
final class SecretKeyFile {

  static final String FILE_NAME = "secret.key";
  private static final Logger LOG = LoggerFactory.getLogger(SecretKeyFile.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private SecretKeyFile() {
  }

  /** The key for {@code config}, or {@code null} when its roles need none. */
  static String resolve(PorticoConfig config) {
    if (config.secrets().secretKey() != null) {
      return config.secrets().secretKey();
    }
    if (config.embeddedRedis()) {
      return loadOrCreate(config.dataDir().resolve(FILE_NAME));
    }
    if (config.roles().equals(EnumSet.of(Role.LOOKUP))) {
      return null;
    }
    throw new ConfigException("PORTICO_SECRET_KEY is required with an external Redis (PORTICO_REDIS_URL): it seals "
        + "private keys, DNS credentials and the admin API's JWT signing key there, and every node needs the same "
        + "value (make one with: openssl rand -base64 32)");
  }

  private static String loadOrCreate(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } catch (FileAlreadyExistsException exists) {
        return read(file);
      }
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII,
          StandardOpenOption.WRITE, StandardOpenOption.SYNC);
      LOG.info("Generated the secret key in {}: keep it with the data (and back it up); without it the sealed "
          + "secrets in Redis do not open", file);
      return read(file);
    } catch (IOException e) {
      throw new ConfigException("cannot keep the secret key in " + file + ": " + e.getMessage(), e);
    }
  }

  private static String read(Path file) throws IOException {
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    if (!OWNER_ONLY.containsAll(permissions)) {
      throw new ConfigException(file + " is readable by others (" + PosixFilePermissions.toString(permissions)
          + "): chmod 600 it, and consider its key known");
    }
    String key = Files.readString(file, StandardCharsets.US_ASCII).trim();
    if (key.isEmpty()) {
      throw new ConfigException(file + " is empty: restore it from a backup, or delete it to start afresh "
          + "(secrets sealed with the lost key will not open)");
    }
    return key;
  }
}
