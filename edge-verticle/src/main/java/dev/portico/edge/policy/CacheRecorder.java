package dev.portico.edge.policy;

import dev.portico.edge.pipeline.BodyTransform;
import io.vertx.core.buffer.Buffer;

import java.util.function.Consumer;

/**
 * Relays a backend's body unchanged while keeping a copy, up to a bound: at the end the copy
 * goes to {@code stored}; past the bound the copy is dropped and the response is relayed only.
 * Either way {@code ended} runs once (the collapsed misses waiting on it look again).
 */
final class CacheRecorder implements BodyTransform {

  private final long maxBytes;
  private final Consumer<Buffer> stored;
  private final Runnable ended;
  private Buffer copy = Buffer.buffer();
  private boolean done;

  CacheRecorder(long maxBytes, Consumer<Buffer> stored, Runnable ended) {
    this.maxBytes = maxBytes;
    this.stored = stored;
    this.ended = ended;
  }

  @Override
  public Buffer apply(Buffer chunk) {
    if (copy != null) {
      if (copy.length() + (long) chunk.length() > maxBytes) {
        copy = null;  // too large to keep: relayed, not stored
        end();
      } else {
        copy.appendBuffer(chunk);
      }
    }
    return chunk;
  }

  @Override
  public Buffer finish() {
    if (copy != null) {
      stored.accept(copy);
      copy = null;
    }
    end();
    return Buffer.buffer();
  }

  @Override
  public void discard() {
    copy = null;
    end();
  }

  private void end() {
    if (!done) {
      done = true;
      ended.run();
    }
  }
}
