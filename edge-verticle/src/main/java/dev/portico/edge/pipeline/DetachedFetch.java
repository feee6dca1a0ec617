package dev.portico.edge.pipeline;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.util.function.Consumer;

/**
 * The request under way, sent once more to the site's backend apart from its client: for a
 * filter's own use after it has answered (a cache refreshing a stale entry in the background).
 * Set on the {@link FilterContext} by the request path; absent where there is no backend.
 */
@FunctionalInterface
public interface DetachedFetch {

  /**
   * A detached request's response: its status, its end-to-end header fields (valid ones, as a
   * client would get them before the filters' response steps), and its body, paused, for the
   * caller to read, or to give up with {@code reset} (the backend connection is then closed).
   */
  record Response(int status, MultiMap headers, ReadStream<Buffer> body, Runnable reset) {
  }

  /**
   * Sends a GET without a body for the request's target, with the header fields it would carry
   * to the backend (the backend steps of the filters it passed run on them, then
   * {@code ownFields}: the asking filter answered it, so its own step does not run), to an
   * upstream the site's balancing chooses, with the site's connect and read timeouts; no retry.
   * Call it once the filters' request steps are over. Fails when no upstream could be had or reached.
   */
  Future<Response> send(Consumer<MultiMap> ownFields);
}
