package dev.portico.edge.upstream.pool;

import dev.portico.edge.upstream.BackendRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponse;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.WriteStream;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request to a backend and its response, on a connection {@link ConnectionPools#open} found:
 * {@link #send} writes the head, framed by the edge. It is a {@link WriteStream} for the request body
 * (back-pressure: {@link #writeQueueFull} while the backend's socket cannot take more), and
 * hands the response head to {@link #response}'s handler as a {@link PooledResponse}, a
 * {@link io.vertx.core.streams.ReadStream} of the body.
 *
 * <p>A failure before the connection is ready goes to the ready handler of
 * {@link ConnectionPools#open}; before the response head, to the response handler; after it, to the
 * response's exception handler ({@link CallOutcome}). A body-less idempotent request whose kept
 * connection turns out to be closed by the backend before any byte of an answer (the backend's
 * keep-alive ran out as the request went out) is sent once more on a new connection, as nginx
 * does; see {@link #closedUnanswered}.
 */
public final class PooledCall extends CallOutcome implements WriteStream<Buffer> {

  /** {@link #send}'s body length for a request without a body: the head is the whole request. */
  public static final long NO_BODY = 0;
  /** {@link #send}'s body length for a body of unknown length: sent with chunked transfer coding. */
  public static final long CHUNKED = -1;

  private final RequestHead request;
  private final TargetPool pool;
  private final long readTimeoutNanos;
  private Handler<Void> drainHandler;
  private PooledConnection connection;
  private boolean reused;
  private boolean retried;
  private boolean requestEnded;
  private boolean sent;
  /** The head of a request with a body, not yet written: it goes with the body's first piece. */
  private boolean headPending;
  private long bodyLength;
  private boolean done;
  /** Fails the call if no connection frees up in time while it waits in its pool's queue. */
  private ScheduledFuture<?> waitDeadline;

  PooledCall(RequestHead request, TargetPool pool, Handler<AsyncResult<PooledCall>> ready) {
    super(ready);
    this.request = request;
    this.pool = pool;
    this.readTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(request.readTimeoutMs());
  }

  RequestHead request() {
    return request;
  }

  long readTimeoutNanos() {
    return readTimeoutNanos;
  }

  /** Whether the call ended before a connection took it (the pool then skips it). */
  boolean abandoned() {
    return done && connection == null;
  }

  /** Where the response head goes (or the failure that came before it). */
  public PooledCall response(Handler<AsyncResult<PooledResponse>> handler) {
    awaitResponse(handler);
    return this;
  }

  /**
   * Gives up on the call: a request in flight is cut off with its connection (the backend never
   * sees it complete); one still waiting for a connection is dropped. Nothing after the response
   * ended: its connection may carry another request by then.
   */
  public void reset() {
    if (done) {
      return;
    }
    done = true;
    if (connection != null && !sent) {
      connection.unassign();  // nothing went out: the connection is still clean
    } else if (connection != null) {
      connection.abort();
    } else {
      pool.leave(this);  // its place in the queue goes to the next request
    }
    deliver(new CancellationException("the request to the backend was reset"));
  }

  /**
   * Sends the head for a body of {@code length} bytes, {@link #CHUNKED} or {@link #NO_BODY};
   * then write the body into this call and {@link #end} it. A head with a body goes out with the
   * body's first piece: a body refused at its first piece (longer than announced, over a limit)
   * never reaches the backend at all.
   */
  public void send(long length) {
    if (sent || done) {
      return;
    }
    sent = true;
    bodyLength = length;
    requestEnded = length == NO_BODY;
    headPending = length != NO_BODY;
    if (!headPending) {
      connection.writeHead(request, length);
    }
  }

  /** Whether the request's head went out: only then may the backend answer. */
  boolean headWritten() {
    return sent && !headPending;
  }

  void waitAtMost(ScheduledFuture<?> deadline) {
    waitDeadline = deadline;
  }

  /** The call left its pool's queue (it got a connection, or gave up): its deadline is void. */
  void stopWaiting() {
    if (waitDeadline != null) {
      waitDeadline.cancel(false);
      waitDeadline = null;
    }
  }

  void bound(PooledConnection on, boolean reusedConnection) {
    connection = on;
    reused = reusedConnection;
    if (sent) {
      connection.writeHead(request, bodyLength);  // sent again on a new connection: see failed()
      return;
    }
    readied(this);
  }

  void head(HttpResponse head) {
    responded(head, connection);
  }

  void content(ByteBuf content) {
    PooledResponse response = received();
    if (response == null || done) {
      content.release();
    } else if (content.isReadable()) {
      response.chunk(BufferInternal.safeBuffer(content));
    } else {
      content.release();
    }
  }

  /** Whether the connection may carry another request once this response has ended. */
  boolean reusable() {
    return sent && requestEnded && !done && received() != null && received().keepAlive();
  }

  void ended(Void nothing) {
    done = true;
    if (received() != null) {
      received().end();
    }
  }

  /**
   * The connection broke before the backend sent a byte for this call: on a kept connection that
   * is the backend's keep-alive running out as the request went out, so a body-less idempotent
   * request is sent once more on a new connection. Any other failure (a timeout, a malformed or
   * partial answer) may follow a request the backend acted on: never repeated.
   */
  void closedUnanswered(Throwable cause) {
    if (!done && sent && reused && !retried && bodyLength == NO_BODY && BackendRequest.isIdempotent(request.method())) {
      retried = true;
      connection = null;
      pool.acquire(this, true);
    } else {
      failed(cause);
    }
  }

  void failed(Throwable cause) {
    if (done) {
      return;
    }
    done = true;
    deliver(cause);
  }

  void drained(Void nothing) {
    if (drainHandler != null) {
      drainHandler.handle(null);
    }
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (done || !sent || requestEnded) {
      return Future.succeededFuture();  // the exchange is over: what is left of the body is not wanted
    }
    writeHeadIfPending();
    return connection.writeBody(((BufferInternal) data).getByteBuf(), false);
  }

  @Override
  public Future<Void> end() {
    if (done || !sent || requestEnded) {
      return Future.succeededFuture();
    }
    requestEnded = true;
    writeHeadIfPending();
    return connection.writeBody(Unpooled.EMPTY_BUFFER, true);
  }

  private void writeHeadIfPending() {
    if (headPending) {
      headPending = false;
      connection.writeHead(request, bodyLength);
    }
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    onWriterFailure(handler);
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;  // the socket's own water marks decide
  }

  @Override
  public boolean writeQueueFull() {
    return !done && connection != null && !connection.writable();
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    drainHandler = handler;
    return this;
  }
}
