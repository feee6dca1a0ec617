package dev.portico.cert;

import dev.portico.contract.CertKeys;
import dev.portico.contract.SecretBox;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.shredzone.acme4j.util.KeyPairUtils;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.KeyPair;

/**
 * The ACME account's key pair, shared by every cert verticle through
 * {@link CertKeys#ACME_ACCOUNT} (sealed PEM). The first node to start creates it; a node
 * racing it adopts the winner's key ({@code SET NX}), so the cluster has one account.
 */
final class AccountKeys {

  private AccountKeys() {
  }

  static Future<KeyPair> loadOrCreate(Vertx vertx, Redis redis, SecretBox secrets) {
    return read(redis, secrets).compose(existing -> existing != null ? Future.succeededFuture(existing)
        : vertx.executeBlocking(() -> {
          StringWriter pem = new StringWriter();
          KeyPairUtils.writeKeyPair(KeyPairUtils.createECKeyPair("secp256r1"), pem);
          return secrets.seal(pem.toString(), CertKeys.ACME_ACCOUNT);
        }).compose(sealed -> redis.send(Request.cmd(Command.SET).arg(CertKeys.ACME_ACCOUNT).arg(sealed).arg("NX")))
            .compose(v -> read(redis, secrets)));
  }

  private static Future<KeyPair> read(Redis redis, SecretBox secrets) {
    return redis.send(Request.cmd(Command.GET).arg(CertKeys.ACME_ACCOUNT)).map(response -> {
      if (response == null) {
        return null;
      }
      try {
        return KeyPairUtils.readKeyPair(new StringReader(secrets.open(response.toString(), CertKeys.ACME_ACCOUNT)));
      } catch (IOException e) {
        throw new IllegalStateException(CertKeys.ACME_ACCOUNT + " does not hold a key pair", e);
      }
    });
  }
}
