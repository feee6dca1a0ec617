package dev.portico.edge.upstream.pool;

import io.netty.handler.codec.http.HttpResponse;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import io.vertx.core.streams.ReadStream;

import java.util.ArrayDeque;

/**
 * A backend's response: its head, and its body as a {@link ReadStream}. Pausing stops reading
 * the backend's socket; the few chunks already decoded from the last read wait here until
 * {@link #resume}, so what is held per response is bounded by one socket read.
 */
public final class PooledResponse implements ReadStream<Buffer> {

  private static final Object END = new Object();

  private final HttpResponse head;
  private final PooledConnection connection;
  private MultiMap headers;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private ArrayDeque<Object> pending;
  private boolean paused;
  private boolean ended;
  /** Reading stopped because body arrived before anyone took it: resumes when a handler is set. */
  private boolean heldForHandler;

  PooledResponse(HttpResponse head, PooledConnection connection) {
    this.head = head;
    this.connection = connection;
  }

  public int statusCode() {
    return head.status().code();
  }

  public String statusMessage() {
    return head.status().reasonPhrase();
  }

  /** The response's fields as the backend sent them (validated by the codec, hop-by-hop ones included). */
  public MultiMap headers() {
    if (headers == null) {
      // the decoder reads into Vert.x's map (ResponseDecoder.HEADERS), which is a MultiMap already
      headers = head.headers() instanceof MultiMap own ? own : new HeadersAdaptor(head.headers());
    }
    return headers;
  }

  boolean keepAlive() {
    return ResponseFraming.keepsAlive(head);
  }

  void chunk(Buffer chunk) {
    if (paused || handler == null || pending != null && !pending.isEmpty()) {
      queue(chunk);
      if (handler == null && !paused && !heldForHandler) {
        heldForHandler = true;  // nobody reads yet: hold one socket read, not the whole body
        connection.autoRead(false);
      }
    } else {
      handler.handle(chunk);
    }
  }

  void end() {
    ended = true;
    if (paused || pending != null && !pending.isEmpty()) {
      queue(END);
    } else if (endHandler != null) {
      endHandler.handle(null);
    }
  }

  void fail(Throwable cause) {
    ended = true;
    if (pending != null) {
      pending.clear();
    }
    if (exceptionHandler != null) {
      exceptionHandler.handle(cause);
    }
  }

  private void queue(Object item) {
    if (pending == null) {
      pending = new ArrayDeque<>(4);
    }
    pending.add(item);
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    exceptionHandler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    this.handler = handler;
    drain();
    if (heldForHandler && handler != null && !paused) {
      heldForHandler = false;
      if (!ended) {
        connection.autoRead(true);
      }
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> handler) {
    endHandler = handler;
    drain();
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    if (!paused) {
      paused = true;
      if (!ended) {
        connection.autoRead(false);
      }
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    if (paused) {
      paused = false;
      drain();
      if (!paused && !ended) {
        heldForHandler = false;
        connection.autoRead(true);
      }
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    return resume();
  }

  private void drain() {
    while (!paused && pending != null && !pending.isEmpty()) {
      Object item = pending.peek();
      if (item == END) {
        if (endHandler == null) {
          return;
        }
        pending.poll();
        endHandler.handle(null);
      } else {
        if (handler == null) {
          return;
        }
        pending.poll();
        handler.handle((Buffer) item);
      }
    }
  }
}
