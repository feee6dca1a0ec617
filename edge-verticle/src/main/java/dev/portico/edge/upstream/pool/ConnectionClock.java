package dev.portico.edge.upstream.pool;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one timer of a {@link PooledConnection}, not one per request. While a call is in flight it
 * fails the call after the backend stayed silent for the call's read timeout (the socket taking a
 * piece of the request body counts as activity; the clock stands while the edge has paused
 * reading the response for a slow client); while the connection is idle it closes it after the
 * keep-alive time. The timer is re-armed from the last activity when it fires, so a busy
 * connection schedules about one task per timeout period. Kept apart from the connection, which
 * carries bytes, because this is about time only; made once per connection, and its own task,
 * so arming it makes no lambda.
 */
final class ConnectionClock implements Runnable {

  private final PooledConnection connection;
  private final Channel channel;
  private final long keepAliveNanos;
  private long lastActivityNanos = System.nanoTime();
  private ScheduledFuture<?> timer;
  private long timerDueNanos;

  ConnectionClock(PooledConnection connection, Channel channel, long keepAliveMs) {
    this.connection = connection;
    this.channel = channel;
    this.keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(keepAliveMs);
  }

  /** The backend spoke, took a piece of the request, or is read again: its silence counts from now. */
  void activity() {
    lastActivityNanos = System.nanoTime();
  }

  /** A call took the connection: the backend has the call's read timeout from now. */
  void callStarted(long readTimeoutNanos) {
    lastActivityNanos = System.nanoTime();
    dueBy(lastActivityNanos + readTimeoutNanos);
  }

  /** The connection went idle: the keep-alive time runs from the last activity. */
  void idle() {
    dueBy(lastActivityNanos + keepAliveNanos);
  }

  /** The connection closed: nothing more to watch. */
  void stop() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /** Makes sure the timer fires no later than {@code dueNanos}. */
  private void dueBy(long dueNanos) {
    if (timer != null && timerDueNanos - dueNanos <= 0) {
      return;
    }
    if (timer != null) {
      timer.cancel(false);
    }
    timerDueNanos = dueNanos;
    timer = channel.eventLoop().schedule(this, Math.max(0, dueNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /** The timer fired: re-armed from the last activity, or the call fails, or the idle connection closes. */
  @Override
  public void run() {
    timer = null;
    if (!channel.isActive()) {
      return;
    }
    PooledCall call = connection.inFlight();
    long idleFor = call == null ? keepAliveNanos : call.readTimeoutNanos();
    // while the edge does not read (its client is slow), the backend's silence is not the backend's
    long due = (call != null && !channel.config().isAutoRead() ? System.nanoTime() : lastActivityNanos) + idleFor;
    if (due - System.nanoTime() > 0) {
      dueBy(due);
    } else if (call != null) {
      connection.failCall(new TimeoutException("the backend sent nothing for "
          + TimeUnit.NANOSECONDS.toMillis(idleFor) + " ms"));
    } else {
      channel.close();
    }
  }
}
