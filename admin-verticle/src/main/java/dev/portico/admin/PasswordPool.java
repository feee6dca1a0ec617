package dev.portico.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few threads of their own for password hashing and checking (each takes a good part of a
 * second, on purpose), with a bounded queue: when {@code threads + queue} jobs are already in,
 * the next one is refused at once with 503 and {@code Retry-After}, instead of waiting behind
 * them or taking threads that other work needs.
 */
final class PasswordPool {

  private final WorkerExecutor executor;
  private final String name;
  private final int capacity;
  private final AtomicInteger inFlight = new AtomicInteger();

  PasswordPool(Vertx vertx, String name, int threads, int queue) {
    this.executor = vertx.createSharedWorkerExecutor(name, threads);
    this.name = name;
    this.capacity = threads + queue;
  }

  /** How many jobs may be running or waiting at once. */
  int capacity() {
    return capacity;
  }

  <T> Future<T> run(Callable<T> job) {
    if (inFlight.incrementAndGet() > capacity) {
      inFlight.decrementAndGet();
      return Future.failedFuture(ApiError.unavailable("too many password checks in progress (" + name + "); retry", 1));
    }
    return executor.executeBlocking(job, false).andThen(done -> inFlight.decrementAndGet());
  }

  Future<Void> close() {
    return executor.close();
  }
}
