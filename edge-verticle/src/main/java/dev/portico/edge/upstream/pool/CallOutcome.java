package dev.portico.edge.upstream.pool;

import io.netty.handler.codec.http.HttpResponse;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;

/**
 * Where a {@link PooledCall}'s outcome goes. One party waits at a time: the ready handler of
 * {@link ConnectionPools#open} until the call has a connection, then the response handler until
 * the response head (a failure that comes before anyone asked for the response is kept for
 * them), then the response's own stream; a failure reaches the one that waits, and the request
 * body's writer too. The call's superclass rather than an object it holds: a call is made per
 * request, and a second object per request is what the pool exists to avoid; its methods are
 * final, so nothing here is dispatched virtually.
 */
abstract sealed class CallOutcome permits PooledCall {

  private Handler<AsyncResult<PooledCall>> ready;
  private Handler<AsyncResult<PooledResponse>> responseHandler;
  private Throwable earlyFailure;
  /** The request body writer's handler for a failure ({@link PooledCall#exceptionHandler}). */
  private Handler<Throwable> writerFailed;
  private PooledResponse response;

  CallOutcome(Handler<AsyncResult<PooledCall>> ready) {
    this.ready = ready;
  }

  /** The response, once its head was read; else null. */
  final PooledResponse received() {
    return response;
  }

  /** Where the response head goes, or the failure that came before it. */
  final void awaitResponse(Handler<AsyncResult<PooledResponse>> handler) {
    if (earlyFailure != null) {
      handler.handle(Future.failedFuture(earlyFailure));
    } else {
      responseHandler = handler;
    }
  }

  final void onWriterFailure(Handler<Throwable> handler) {
    writerFailed = handler;
  }

  /** The call has its connection: its ready handler hears so, once. */
  final void readied(PooledCall call) {
    if (ready != null) {
      Handler<AsyncResult<PooledCall>> handler = ready;
      ready = null;
      handler.handle(Future.succeededFuture(call));
    }
  }

  /** The response head was read on {@code connection}: its body streams from there. */
  final void responded(HttpResponse head, PooledConnection connection) {
    response = new PooledResponse(head, connection);
    if (responseHandler != null) {
      responseHandler.handle(Future.succeededFuture(response));
    }
  }

  /** Tells whoever waits for the call (ready, response head, or response body) that it failed. */
  final void deliver(Throwable cause) {
    if (ready != null) {
      Handler<AsyncResult<PooledCall>> handler = ready;
      ready = null;
      handler.handle(Future.failedFuture(cause));
    } else if (response == null) {
      if (responseHandler != null) {
        responseHandler.handle(Future.failedFuture(cause));
      } else {
        earlyFailure = cause;
      }
    } else {
      response.fail(cause);
    }
    if (writerFailed != null) {
      writerFailed.handle(cause);
    }
  }
}
