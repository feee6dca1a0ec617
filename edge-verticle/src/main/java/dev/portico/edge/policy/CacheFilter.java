package dev.portico.edge.policy;

import dev.portico.contract.CacheSettings;
import dev.portico.edge.cache.CacheKeys;
import dev.portico.edge.cache.CacheNode;
import dev.portico.edge.cache.CacheRules;
import dev.portico.edge.cache.CachedResponse;
import dev.portico.edge.cache.Freshness;
import dev.portico.edge.pipeline.Answer;
import dev.portico.edge.pipeline.BodyTransform;
import dev.portico.edge.pipeline.ClientRequest;
import dev.portico.edge.pipeline.FilterContext;
import dev.portico.edge.pipeline.SiteFilter;
import dev.portico.edge.pipeline.Step;
import dev.portico.edge.policy.ResponseCompression.Encoding;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/**
 * A site's {@code cache}: the innermost filter, so it stores the backend's response as sent and
 * its answers go out through the site's other response filters (header rules, HSTS,
 * compression). A fresh entry answers ({@code X-Cache: HIT}, or 304 to a matching
 * conditional request); a miss goes to the backend and is stored while it streams to the
 * client ({@code MISS}); concurrent misses for one key wait for the first ({@link CacheNode});
 * a stale entry is revalidated by the request that finds it ({@code REVALIDATED} on a 304), or,
 * within {@code stale-while-revalidate}, answers at once ({@code STALE}) while it is refreshed in
 * the background ({@link BackgroundRefresh}); it also answers when the backend fails and
 * {@code stale-if-error} allows ({@code STALE}); what may not use the cache is marked
 * {@code BYPASS}.
 */
final class CacheFilter implements SiteFilter {

  private final CacheNode node;
  private final CacheRules rules;
  private final CacheWrites writes;
  /** Whose policies this filter caches for (a site's, or a route's): part of every key. */
  private final String scope;

  /** What one request found; attached under the filter. */
  private static final class Lookup {
    String key;
    /** The content coding in the key, the only one the backend is offered. */
    String encoding;
    CachedResponse stale;
    /** The miss this request leads, or null. */
    CacheNode.Miss led;
    /** The backend request carries the stale entry's validators: its 304 refreshes that entry. */
    boolean revalidating;
    boolean bypass;
    long requestTime;
    /** The {@code X-Cache} of this filter's own answer (HIT, STALE, REVALIDATED), or null when the backend's goes out. */
    String answered;

    /** Notes the filter's own answer (its response steps do not run for it: the chain's onion). */
    Answer answer(FilterContext context, Answer answer) {
      answered = answer.headers().get(CachedAnswers.X_CACHE);
      context.cacheResult(answered);
      return answer;
    }
  }

  CacheFilter(CacheNode node, CacheSettings settings, boolean guarded, String scope) {
    this.node = node;
    this.scope = scope;
    this.rules = new CacheRules(settings.defaultTtlSeconds(), settings.maxObjectBytes(), guarded, settings.shared());
    this.writes = new CacheWrites(node, rules);
  }

  @Override
  public Step onRequest(FilterContext context) {
    Lookup lookup = new Lookup();
    context.attach(this, lookup);
    ClientRequest request = context.request();
    if (Freshness.bypassReason(request.method(), request.headers(), rules) != null) {
      lookup.bypass = true;
      return Step.PASS;
    }
    Encoding encoding = ResponseCompression.negotiate(request.headers().get(HttpHeaders.ACCEPT_ENCODING));
    lookup.encoding = encoding == null ? "identity" : encoding.token;
    lookup.key = CacheKeys.key(context.site().pattern(), scope, request.host(), request.path().target(),
        lookup.encoding);
    return look(context, lookup, true);
  }

  /** Answers from the store, or leads the miss, or waits for the miss under way (once). */
  private Step look(FilterContext context, Lookup lookup, boolean mayWait) {
    ClientRequest request = context.request();
    long now = System.currentTimeMillis();
    CachedResponse entry = node.store().get(lookup.key).result();  // the local store answers at once
    boolean mayServeStale = false;
    if (entry != null && CacheWrites.usable(entry, request.headers())) {
      Freshness.State state = Freshness.state(entry, now, rules.defaultTtlSeconds());
      if (state == Freshness.State.FRESH) {
        return Step.answer(lookup.answer(context,
            CachedAnswers.of(entry, request.method(), request.headers(), "HIT", now)));
      }
      lookup.stale = entry;
      mayServeStale = state == Freshness.State.STALE_WHILE_REVALIDATE;
    }
    lookup.led = node.leadMiss(lookup.key);
    if (mayServeStale) {  // stale-while-revalidate: at once, refreshed in the background (unless a refresh is under way)
      if (lookup.led != null) {
        CacheNode.Miss miss = lookup.led;
        lookup.led = null;
        new BackgroundRefresh(node, writes, lookup.key, lookup.encoding, entry, request.headers(), miss)
            .start(context.detachedFetch());
      }
      return Step.answer(lookup.answer(context,
          CachedAnswers.of(entry, request.method(), request.headers(), "STALE", now)));
    }
    if (lookup.led != null) {
      lookup.requestTime = now;
      context.whenDone(() -> endMiss(lookup));  // however the exchange ends: no body, an edge error, a reset
      return Step.PASS;
    }
    Future<Boolean> ended = mayWait ? node.awaitMiss(lookup.key) : null;
    if (ended == null) {
      lookup.requestTime = now;
      return Step.PASS;
    }
    return Step.later(ended.map(missEnded -> {
      if (!missEnded) {  // waited long enough: to the backend, leaving the miss to its leader
        lookup.requestTime = System.currentTimeMillis();
        return Step.PASS;
      }
      Step step = look(context, lookup, false);
      return step.later() == null ? step : Step.PASS;
    }));
  }

  /**
   * The backend is offered only the coding in the key (or none), so what it answers belongs
   * under that key: a {@code gzip} body never lands where {@code br} clients look.
   */
  @Override
  public void onBackendRequest(FilterContext context, MultiMap headers) {
    Lookup lookup = (Lookup) context.attached(this);
    if (lookup != null && !lookup.bypass) {
      lookup.revalidating = CacheWrites.ask(headers, lookup.encoding, lookup.stale);
    }
  }

  /** The backend's 304 to a revalidation: the entry, refreshed and stored again, answers ({@code REVALIDATED}). */
  @Override
  public Answer onBackendResponse(FilterContext context) {
    Lookup lookup = (Lookup) context.attached(this);
    if (lookup == null || !lookup.revalidating || context.responseStatus() != 304) {
      return null;
    }
    ClientRequest request = context.request();
    CachedResponse refreshed = writes.refresh(lookup.key, lookup.stale, request.headers(), context.responseHeaders(),
        lookup.requestTime);
    if (refreshed == null) {
      return null;
    }
    endMiss(lookup);
    return lookup.answer(context, CachedAnswers.of(refreshed, request.method(), request.headers(), "REVALIDATED",
        System.currentTimeMillis()));
  }

  @Override
  public void onResponse(FilterContext context) {
    Lookup lookup = (Lookup) context.attached(this);
    if (lookup == null) {
      return;
    }
    // the filter's own answer keeps its mark (and is not stored again); a backend's X-Cache is replaced
    String result = lookup.answered != null ? lookup.answered : lookup.bypass ? "BYPASS" : "MISS";
    context.responseHeaders().set(CachedAnswers.X_CACHE, result);
    context.cacheResult(result);
  }

  @Override
  public BodyTransform onResponseBody(FilterContext context) {
    Lookup lookup = (Lookup) context.attached(this);
    if (lookup == null || lookup.bypass || lookup.answered != null) {
      return null;
    }
    ClientRequest request = context.request();
    return writes.recorder(lookup.key, lookup.encoding, request.method(), request.headers(), context.responseStatus(),
        context.responseHeaders(), lookup.requestTime, () -> endMiss(lookup));
  }

  @Override
  public Answer onBackendFailure(FilterContext context) {
    Lookup lookup = (Lookup) context.attached(this);
    if (lookup == null || lookup.bypass) {
      return null;
    }
    endMiss(lookup);
    long now = System.currentTimeMillis();
    if (lookup.stale != null && Freshness.servesOnError(lookup.stale, now, rules.defaultTtlSeconds())) {
      return lookup.answer(context,
          CachedAnswers.of(lookup.stale, context.request().method(), context.request().headers(), "STALE", now));
    }
    return null;
  }

  private void endMiss(Lookup lookup) {
    if (lookup.led != null) {
      node.missEnded(lookup.key, lookup.led);
      lookup.led = null;
    }
  }
}
