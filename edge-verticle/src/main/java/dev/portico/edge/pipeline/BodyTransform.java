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
    };
  }
}
