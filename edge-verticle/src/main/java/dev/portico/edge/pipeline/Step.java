package dev.portico.edge.pipeline;

import io.vertx.core.Future;

/**
 * What a filter's request step decided: pass on ({@link #PASS}, a constant, so the common
 * synchronous case allocates nothing), answer the request ({@link #answer}), or decide later
 * ({@link #later}), when the decision needs I/O (a password hash, a JWKS fetch, Redis).
 */
public final class Step {

  /** The request goes on to the next filter. */
  public static final Step PASS = new Step(null, null);

  private final Answer answer;
  private final Future<Step> later;

  private Step(Answer answer, Future<Step> later) {
    this.answer = answer;
    this.later = later;
  }

  /** The request ends here with {@code answer}; no backend is asked. */
  public static Step answer(Answer answer) {
    return new Step(answer, null);
  }

  /** The decision {@code decision} completes with; a failure answers 500. */
  public static Step later(Future<Step> decision) {
    return new Step(null, decision);
  }

  /**
   * Passes when {@code check} succeeds, answers with the {@link Rejection} it fails with, and
   * fails (500) on any other failure.
   */
  public static Step after(Future<?> check) {
    if (check.succeeded()) {
      return PASS;
    }
    if (check.failed() && check.cause() instanceof Rejection rejection) {
      return answer(rejection.answer());
    }
    return later(check.transform(ar -> ar.succeeded() ? Future.succeededFuture(PASS)
        : ar.cause() instanceof Rejection rejection ? Future.succeededFuture(answer(rejection.answer()))
        : Future.failedFuture(ar.cause())));
  }

  /** The answer, or null when the step passed or decides later. */
  public Answer answer() {
    return answer;
  }

  /** The pending decision, or null. */
  public Future<Step> later() {
    return later;
  }
}
