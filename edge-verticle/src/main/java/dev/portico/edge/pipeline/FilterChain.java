package dev.portico.edge.pipeline;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;

import java.util.function.BiFunction;

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
   * Runs the request steps: {@link Step#PASS} when every filter passed, the step with the
   * {@link Answer} of the filter that answered, or — when a filter decides later — a step whose
   * future completes with one of those two (or fails, when a filter's check failed). Filters that
   * decide synchronously are walked without allocating anything.
   */
  public Step admit(FilterContext context) {
    return walk(context, 0);
  }

  private Step walk(FilterContext context, int from) {
    for (int i = from; i < filters.length; i++) {
      if (!filters[i].appliesTo(context)) {
        continue;
      }
      context.applying |= 1L << i;
      Step step = filters[i].onRequest(context);
      if (step == Step.PASS) {
        continue;
      }
      if (step.answer() != null) {
        context.passed = i;
        return step;
      }
      int index = i;
      return Step.later(step.later().compose(decided -> resume(context, index, decided)));
    }
    context.passed = filters.length;
    return Step.PASS;
  }

  /** Goes on from filter {@code index}, whose request step decided {@code decided}. */
  private Future<Step> resume(FilterContext context, int index, Step decided) {
    if (decided == Step.PASS) {
      Step rest = walk(context, index + 1);
      return rest.later() != null ? rest.later() : Future.succeededFuture(rest);
    }
    if (decided.answer() != null) {
      context.passed = index;
      return Future.succeededFuture(decided);
    }
    return decided.later().compose(next -> resume(context, index, next));
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

  /** Tells the filters passed that the backend failed; the answer of the innermost that has one, or null. */
  public Answer onBackendFailure(FilterContext context) {
    return firstAnswer(context, SiteFilter::onBackendFailure);
  }

  /** Shows the filters passed the backend's response head; the answer to send instead, or null to relay it. */
  public Answer onBackendResponse(FilterContext context) {
    return firstAnswer(context, SiteFilter::onBackendResponse);
  }

  /** Asks every filter passed, innermost first (each is told); the first answer, or null. */
  private Answer firstAnswer(FilterContext context, BiFunction<SiteFilter, FilterContext, Answer> step) {
    Answer answer = null;
    for (int i = context.passed - 1; i >= 0; i--) {
      if ((context.applying & (1L << i)) != 0) {
        Answer given = step.apply(filters[i], context);
        answer = answer == null ? given : answer;
      }
    }
    return answer;
  }
}
