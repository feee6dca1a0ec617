package dev.portico.edge.pipeline;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;

/**
 * A site's filters in order, and the walk over them (see {@link SiteFilter}): request steps
 * front to back until one answers; backend-header steps front to back; response steps back to
 * front over the filters the request passed. Built once per site; {@link #EMPTY} for a site
 * without policies, which then makes no {@link FilterContext} at all.
 */
public final class FilterChain {

  public static final FilterChain EMPTY = new FilterChain(new SiteFilter[0]);
  /** The chain keeps which filters apply in a {@code long}. */
  static final int MAX_FILTERS = 64;

  private final SiteFilter[] filters;

  public FilterChain(SiteFilter[] filters) {
    if (filters.length > MAX_FILTERS) {
      throw new IllegalArgumentException("a site has at most " + MAX_FILTERS + " filters");
    }
    this.filters = filters.clone();
  }

  public boolean isEmpty() {
    return filters.length == 0;
  }

  public int size() {
    return filters.length;
  }

  /**
   * Runs the request steps; {@code done} gets {@code null} when every filter passed (the shared
   * empty future: nothing allocated on the synchronous path), the {@link Answer} of the filter
   * that answered, or the failure of a filter's asynchronous step.
   */
  public void admit(FilterContext context, Handler<AsyncResult<Answer>> done) {
    walk(context, 0, done);
  }

  private void walk(FilterContext context, int from, Handler<AsyncResult<Answer>> done) {
    for (int i = from; i < filters.length; i++) {
      if (!filters[i].appliesTo(context)) {
        continue;
      }
      context.applying |= 1L << i;
      Step step = filters[i].onRequest(context);
      if (step != Step.PASS && decided(context, i, step, done)) {
        return;
      }
    }
    context.passed = filters.length;
    done.handle(Future.succeededFuture());
  }

  /** Handles a step other than PASS; false when it turned out to pass synchronously after all. */
  private boolean decided(FilterContext context, int index, Step step, Handler<AsyncResult<Answer>> done) {
    if (step.answer() != null) {
      context.passed = index;
      done.handle(Future.succeededFuture(step.answer()));
      return true;
    }
    if (step.later() == null) {
      return false;
    }
    step.later().onComplete(ar -> {
      if (ar.failed()) {
        context.passed = index;
        done.handle(Future.failedFuture(ar.cause()));
      } else if (ar.result() == Step.PASS || !decided(context, index, ar.result(), done)) {
        walk(context, index + 1, done);
      }
    });
    return true;
  }

  /** Lets the filters edit the headers the backend receives. */
  public void toBackend(FilterContext context, MultiMap headers) {
    for (int i = 0; i < context.passed; i++) {
      if ((context.applying & (1L << i)) != 0) {
        filters[i].onBackendRequest(context, headers);
      }
    }
  }

  /**
   * Runs the response steps on the head set with {@link FilterContext#respond}; with
   * {@code body}, also the body steps, and returns their combined transform (null for none).
   */
  public BodyTransform onResponse(FilterContext context, boolean body) {
    BodyTransform transform = null;
    for (int i = context.passed - 1; i >= 0; i--) {
      if ((context.applying & (1L << i)) == 0) {
        continue;
      }
      filters[i].onResponse(context);
      BodyTransform next = body ? filters[i].onResponseBody(context) : null;
      if (next != null) {
        transform = transform == null ? next : BodyTransform.chain(transform, next);
      }
    }
    return transform;
  }
}
