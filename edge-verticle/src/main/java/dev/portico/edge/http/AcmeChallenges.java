package dev.portico.edge.http;

import dev.portico.contract.RedisKeys;
import dev.portico.contract.RequestPath;
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
 * verticle. The whole challenge folder (of the normalised path) is the edge's own on the HTTP
 * port: nothing in it is proxied to a site or redirected to HTTPS; a path that walks out of it
 * with dot-segments is an ordinary path of the site.
 */
public final class AcmeChallenges {

  private static final Logger LOG = LoggerFactory.getLogger(AcmeChallenges.class);
  private static final String PATH_PREFIX = "/.well-known/acme-challenge/";
  /** RFC 8555 8.3: a token is base64url without padding; CAs use 43 characters, allow some room. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  private final Redis redis;

  public AcmeChallenges(Redis redis) {
    this.redis = redis;
  }

  /** Whether {@code path} is in the challenge folder, which {@link #answer} serves. */
  static boolean claims(RequestPath path) {
    return path.path().startsWith(PATH_PREFIX);
  }

  /**
   * Answers a request for a path in the challenge folder: a token's key authorization from the
   * store, 404 for anything else in the folder, 405 for methods other than GET and HEAD.
   */
  void answer(HttpServerRequest request, RequestPath path) {
    RequestReading.resumeIfOpen(request);
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      request.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "GET, HEAD")
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end("ACME challenges are read with GET\n");
      return;
    }
    String token = path.path().substring(PATH_PREFIX.length());
    if (!TOKEN.matcher(token).matches()) {
      notFound(request);
      return;
    }
    redis.send(Request.cmd(Command.GET).arg(RedisKeys.acmeHttp01(token))).onComplete(ar -> {
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
