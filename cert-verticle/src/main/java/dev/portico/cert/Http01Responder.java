package dev.portico.cert;

import dev.portico.contract.RedisKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.shredzone.acme4j.challenge.Http01Challenge;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Answers HTTP-01 challenges through Redis: every edge serves
 * {@code /.well-known/acme-challenge/<token>} from {@link RedisKeys#acmeHttp01}, so the CA may
 * reach any edge of the cluster.
 */
final class Http01Responder implements AcmeClient.Responder {

  /** How long a published answer lives if its withdrawal is lost. */
  private static final long ANSWER_TTL_MS = 600_000;

  private final Redis redis;

  Http01Responder(Redis redis) {
    this.redis = redis;
  }

  @Override
  public String type() {
    return Http01Challenge.TYPE;
  }

  @Override
  public void publish(List<AcmeClient.Answer> answers) throws Exception {
    for (AcmeClient.Answer answer : answers) {
      Http01Challenge challenge = (Http01Challenge) answer.challenge();
      redis.send(Request.cmd(Command.SET).arg(RedisKeys.acmeHttp01(challenge.getToken()))
              .arg(challenge.getAuthorization()).arg("PX").arg(ANSWER_TTL_MS))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public void withdraw(List<AcmeClient.Answer> answers) {
    for (AcmeClient.Answer answer : answers) {
      redis.send(Request.cmd(Command.DEL).arg(RedisKeys.acmeHttp01(((Http01Challenge) answer.challenge()).getToken())));
    }
  }
}
