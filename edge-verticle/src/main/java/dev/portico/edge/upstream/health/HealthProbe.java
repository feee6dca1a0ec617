package dev.portico.edge.upstream.health;

import dev.portico.contract.Target;
import dev.portico.contract.UpstreamOptions.HealthCheck;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * One check of one target: {@code GET path} to the target's address, its status compared with
 * what the site expects. Bounded: the whole check (connect, send, the response's head) has the
 * site's {@code timeoutMs}, after which the request is reset; no body is read (the request is
 * reset once the status is in, which closes the connection), and the client's header size limit
 * caps the head. No redirect is followed: the check's traffic goes to the site's target only.
 */
final class HealthProbe {

  /** What a check found: passed or not, and the status or why there was none (for the API). */
  record Outcome(boolean passed, String result) {
  }

  private HealthProbe() {
  }

  static Future<Outcome> check(Vertx vertx, HttpClient client, String address, Target target, String host,
      HealthCheck check) {
    Promise<Outcome> outcome = Promise.promise();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(address).setPort(target.port())
        .setURI(check.path()).setFollowRedirects(false).setConnectTimeout(check.timeoutMs())
        .putHeader("Host", host).putHeader("User-Agent", "Portico-HealthCheck").putHeader("Connection", "close");
    HttpClientRequest[] sent = new HttpClientRequest[1];
    long deadline = vertx.setTimer(check.timeoutMs(), late -> {
      if (outcome.tryFail("no answer within " + check.timeoutMs() + " ms") && sent[0] != null) {
        sent[0].reset();
      }
    });
    client.request(options).compose(request -> {
      sent[0] = request;
      if (outcome.future().isComplete()) {
        request.reset();
        return Future.failedFuture("late");
      }
      return request.send().map(response -> {
        response.exceptionHandler(reset -> { });  // the reset below is ours, not news
        request.reset();  // the status is all a check needs: the body is not read
        return response.statusCode();
      });
    }).onComplete(ar -> {
      vertx.cancelTimer(deadline);
      if (ar.succeeded()) {
        outcome.tryComplete(new Outcome(check.healthy(ar.result()), "status " + ar.result()));
      } else {
        outcome.tryComplete(new Outcome(false, "failed: " + ar.cause().getMessage()));
      }
    });
    return outcome.future().recover(timedOut -> Future.succeededFuture(new Outcome(false, timedOut.getMessage())));
  }
}
