package dev.portico.edge.pipeline;

import io.vertx.core.buffer.Buffer;

/**
 * Rewrites a response body as it streams to the client (compression), or watches it (a cache
 * storing what it relays). One instance per response, used on the response's event loop.
 */
public interface BodyTransform {

  /** The bytes to send for {@code chunk}; may be empty (the transform buffers). */
  Buffer apply(Buffer chunk);

  /** The last bytes to send, when the body has ended; the transform is done after this. */
  Buffer finish();

  /** The response was cut off: free what the transform holds. */
  default void discard() {
  }

  /**
   * Whether it sends every chunk as it came and nothing at the end (it only watches): then a body
   * of known length is ended with its last piece, one write to the client instead of two.
   */
  default boolean watchesOnly() {
    return false;
  }

  /** {@code first}, then {@code second} on what it produced. */
  static BodyTransform chain(BodyTransform first, BodyTransform second) {
    return new BodyTransform() {
      @Override
      public Buffer apply(Buffer chunk) {
        return second.apply(first.apply(chunk));
      }

      @Override
      public Buffer finish() {
        Buffer rest = second.apply(first.finish());
        return rest.length() == 0 ? second.finish() : Buffer.buffer().appendBuffer(rest).appendBuffer(second.finish());
      }

      @Override
      public void discard() {
        first.discard();
        second.discard();
      }

      @Override
      public boolean watchesOnly() {
        return first.watchesOnly() && second.watchesOnly();
      }
    };
  }
}
