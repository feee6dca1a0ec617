package dev.portico.edge.policy;

import dev.portico.edge.cache.CacheNode;
import dev.portico.edge.pipeline.BodyTransform;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Relays a backend's body unchanged while keeping a copy, up to a bound and within the node's
 * budget for copies in flight ({@link CacheNode#reserveCopy}): at the end the copy goes to
 * {@code stored}; past either the copy is dropped and the response is relayed only. Either way
 * {@code ended} runs once (the collapsed misses waiting on it look again) and the budget taken
 * is given back. The copy is kept as the chunks received and joined once at the end into the
 * one array the entry keeps, so it holds what the budget counts (a buffer grown by appending holds
 * up to twice that).
 */
final class CacheRecorder implements BodyTransform {

  private final CacheNode node;
  private final long maxBytes;
  private final Consumer<byte[]> stored;
  private final Runnable ended;
  private List<Buffer> copy = new ArrayList<>();
  private long copied;
  private boolean done;

  CacheRecorder(CacheNode node, long maxBytes, Consumer<byte[]> stored, Runnable ended) {
    this.node = node;
    this.maxBytes = maxBytes;
    this.stored = stored;
    this.ended = ended;
  }

  @Override
  public Buffer apply(Buffer chunk) {
    if (copy != null) {
      if (copied + chunk.length() > maxBytes || !node.reserveCopy(chunk.length())) {
        copy = null;  // too large to keep, or too much kept node-wide: relayed, not stored
        end();
      } else {
        copied += chunk.length();
        copy.add(chunk);
      }
    }
    return chunk;
  }

  @Override
  public Buffer finish() {
    if (copy != null) {
      byte[] body = new byte[(int) copied];
      int at = 0;
      for (Buffer chunk : copy) {
        chunk.getBytes(body, at);
        at += chunk.length();
      }
      copy = null;
      stored.accept(body);
    }
    end();
    return Buffer.buffer();
  }

  /** It relays the body unchanged. */
  @Override
  public boolean watchesOnly() {
    return true;
  }

  /** Whether the copy is still being kept: false once dropped (too large) or ended. */
  boolean copying() {
    return copy != null;
  }

  @Override
  public void discard() {
    copy = null;
    end();
  }

  private void end() {
    node.releaseCopy(copied);
    copied = 0;
    if (!done) {
      done = true;
      ended.run();
    }
  }
}
