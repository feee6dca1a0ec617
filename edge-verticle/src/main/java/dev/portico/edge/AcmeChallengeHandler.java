package dev.portico.edge;

import dev.portico.contract.RedisKeys;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.regex.Pattern;

/**
 * Answers ACME HTTP-01 challenges on the HTTP port before any site routing: {@code GET
 * /.well-known/acme-challenge/<token>} for any Host gets the key authorization a cert verticle
 * stored under {@link RedisKeys#acmeHttp01}, so any node answers a challenge started by any cert
 * verticle. Every other request goes to the next handler.
 */
final class AcmeChallengeHandler implements Handler<HttpServerRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(AcmeChallengeHandler.class);
  static final String PATH_PREFIX = "/.well-known/acme-challenge/";
  /** RFC 8555 8.3: a token is base64url without padding; CAs use 43 characters, allow some room. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  private final Redis redis;
  private final Handler<HttpServerRequest> next;

  AcmeChallengeHandler(Redis redis, Handler<HttpServerRequest> next) {
    this.redis = redis;
    this.next = next;
  }

  @Override
  public void handle(HttpServerRequest request) {
    String path = request.path();
    if (path == null || !path.startsWith(PATH_PREFIX)
        || (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD)) {
      next.handle(request);
      return;
    }
    String token = path.substring(PATH_PREFIX.length());
    if (!TOKEN.matcher(token).matches()) {
      notFound(request);
      return;
    }
    request.pause();
    redis.send(Request.cmd(Command.GET).arg(RedisKeys.acmeHttp01(token))).onComplete(ar -> {
      request.resume();
      if (ar.failed()) {
        LOG.warn("Cannot read the ACME challenge answer from Redis: {}", ar.cause().getMessage());
        request.response().setStatusCode(503).end();
      } else if (ar.result() == null) {
        notFound(request);
      } else {
        request.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end(ar.result().toString());
      }
    });
  }

  private static void notFound(HttpServerRequest request) {
    request.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end("no such challenge\n");
  }
}
