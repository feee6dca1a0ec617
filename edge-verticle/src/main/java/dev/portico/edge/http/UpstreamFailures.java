package dev.portico.edge.http;

import dev.portico.contract.Site;
import dev.portico.edge.LogSafe;
import dev.portico.edge.observe.Exchange;
import dev.portico.edge.pipeline.Answer;
import dev.portico.edge.upstream.BackendRequest;
import dev.portico.edge.upstream.Backends;
import dev.portico.edge.upstream.TenantAddresses;
import dev.portico.edge.upstream.Upstream;
import dev.portico.edge.upstream.UpstreamSet;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * What a failed step on the way to an upstream means for the request that {@link Forwarding}
 * walks: a request without a connection is retried on another target when the site allows it and
 * the method is idempotent; otherwise a filter may answer instead (a cache's stale copy,
 * stale-if-error), else the client gets the edge's 502, 503 or 504. Kept apart from the walk so
 * that {@link Forwarding} reads as the path a request takes, and every failure answer of that
 * path is in one place. Static: nothing here is made per request.
 */
final class UpstreamFailures {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamFailures.class);

  private UpstreamFailures() {
  }

  /** No target is left to try (a site may list one target twice), or every circuit is open: 502. */
  static void noTargetLeft(Passage passage) {
    Exchange exchange = passage.exchange();
    LOG.warn("502 for {} {}{}: every target of the site failed", passage.request().method(), exchange.host(),
        LogSafe.of(exchange.uri()));
    if (!answeredByFilters(passage)) {
      Replies.error(passage.request(), 502, "backend unavailable", "The backend could not be reached");
    }
  }

  /** The upstream's address is refused (a tenant's target outside what it may reach) or does not resolve: 502. */
  static void unaddressed(Passage passage, Upstream upstream, Throwable cause) {
    Exchange exchange = passage.exchange();
    HttpServerRequest request = passage.request();
    Site site = passage.route().site();
    if (cause instanceof TenantAddresses.Refused refused) {
      LOG.warn("502 for {} {}{}: site {} (owner {}) may not reach its target {}: {}", request.method(),
          exchange.host(), LogSafe.of(request.uri()), passage.route().pattern(), site.owner(), upstream.target(),
          refused.getMessage());
      Replies.error(request, 502, "backend not allowed", "The site's backend address is not allowed");
    } else {
      LOG.warn("502 for {} {}{}: target {} does not resolve: {}", request.method(), exchange.host(),
          LogSafe.of(request.uri()), upstream.target(), LogSafe.of(cause.getMessage()));
      Replies.error(request, 502, "backend unavailable", "The backend's name does not resolve");
    }
  }

  /**
   * The call to {@code upstream} (the request's {@code attempt}-th) got no connection: true when
   * the request is to be sent to another upstream not in {@code tried}; otherwise it has been
   * answered (503 for a busy pool, else 502 or 504), or its client is gone.
   */
  static boolean retryElsewhere(Passage passage, Set<Upstream> tried, Upstream upstream, int attempt, Throwable cause) {
    HttpServerRequest request = passage.request();
    if (request.response().closed()) {
      return false;  // the client went away: nobody to answer, nothing against the backend
    }
    Exchange exchange = passage.exchange();
    UpstreamSet upstreams = passage.route().upstreams();
    boolean busy = Backends.busy(cause);
    if (!busy) {
      upstream.failed();
    }
    if (attempt < passage.route().site().policies().retries() && upstreams.hasUntried(tried, upstream)
        && BackendRequest.isIdempotent(request.method()) && upstreams.mayRetry()) {
      if (upstreams.countsPending()) {
        upstream.finished();  // the retry's own onRecord replaces this upstream's
      }
      LOG.info("Retrying {} {}{} elsewhere: backend {} failed: {}", request.method(), exchange.host(),
          LogSafe.of(request.uri()), upstream, LogSafe.of(cause.getMessage()));
      return true;
    }
    if (!answeredByFilters(passage)) {  // else a cache's stale entry (stale-if-error) answered
      if (busy) {
        LOG.warn("503 for {} {}{}: backend {} busy: {}", request.method(), exchange.host(),
            LogSafe.of(request.uri()), upstream, LogSafe.of(cause.getMessage()));
        Replies.error(request, 503, "backend busy", "The backend has no free connection");
      } else {
        Replies.backendFailed(request, exchange.host(), upstream.target(), cause);
      }
    }
    return false;
  }

  /** The backend broke off a request it had (no response head): against its circuit, then 502 or 504. */
  static void brokeOff(Passage passage, Upstream upstream, Throwable cause) {
    upstream.brokeOff();
    if (!answeredByFilters(passage)) {  // else a cache's stale entry (stale-if-error) answered
      Exchange exchange = passage.exchange();
      Replies.backendFailed(passage.request(), exchange.host(), exchange.target(), cause);
    }
  }

  /** The backend failed: whether a filter answered instead (a cache's stale copy), before anything was written. */
  private static boolean answeredByFilters(Passage passage) {
    if (passage.filters() == null || passage.request().response().headWritten()) {
      return false;
    }
    Answer answer = passage.route().filters().onBackendFailure(passage.filters());
    if (answer == null) {
      return false;
    }
    Relay.answer(passage.exchange(), passage.route().filters(), passage.filters(), answer);
    return true;
  }
}
