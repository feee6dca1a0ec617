package dev.portico.edge.policy;

import dev.portico.edge.cache.CacheNode;
import dev.portico.edge.pipeline.BodyTransform;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

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
 * up to twice that). A body that came in one chunk whose array is exactly it (what Vert.x hands on
 * from a backend's read: a heap copy of its own) is kept as that array, not copied again: a stored
 * miss then allocates no second body, which the collector would have to reclaim on every miss.
 * Nothing writes a chunk once it is handed on (the relay and the outer filters only read it).
 */
final class CacheRecorder implements BodyTransform {

  private final CacheNode node;
  private final long maxBytes;
  private final Consumer<byte[]> stored;
  private final Runnable ended;
  /** Whether the body is still copied (false once dropped, or ended). */
  private boolean copying = true;
  /** The first chunk, and the later ones (null until there is a second: most bodies come in one). */
  private Buffer first;
  private List<Buffer> more;
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
    if (copying) {
      if (copied + chunk.length() > maxBytes || !node.reserveCopy(chunk.length())) {
        drop();  // too large to keep, or too much kept node-wide: relayed, not stored
        end();
      } else {
        copied += chunk.length();
        if (first == null) {
          first = chunk;
        } else {
          if (more == null) {
            more = new ArrayList<>();
          }
          more.add(chunk);
        }
      }
    }
    return chunk;
  }

  @Override
  public Buffer finish() {
    if (copying) {
      byte[] body = more == null ? whole(first) : joined();
      drop();
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
    return copying;
  }

  @Override
  public void discard() {
    drop();
    end();
  }

  /** The bytes of a body that came in one chunk (none: empty): its own array when that is exactly the body. */
  private static byte[] whole(Buffer chunk) {
    if (chunk == null) {
      return new byte[0];
    }
    ByteBuf bytes = ((BufferInternal) chunk).getByteBuf();
    if (bytes.hasArray() && bytes.arrayOffset() == 0 && bytes.array().length == bytes.readableBytes()) {
      return bytes.array();
    }
    return chunk.getBytes();
  }

  private byte[] joined() {
    byte[] body = new byte[(int) copied];
    first.getBytes(body, 0);
    int at = first.length();
    for (Buffer chunk : more) {
      chunk.getBytes(body, at);
      at += chunk.length();
    }
    return body;
  }

  private void drop() {
    copying = false;
    first = null;
    more = null;
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
