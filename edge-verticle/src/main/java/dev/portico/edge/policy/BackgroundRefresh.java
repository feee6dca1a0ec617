package dev.portico.edge.policy;

import dev.portico.edge.cache.CacheNode;
import dev.portico.edge.cache.CachedResponse;
import dev.portico.edge.pipeline.DetachedFetch;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;

import java.util.List;

/**
 * {@code stale-while-revalidate} as RFC 5861 §3 has it: the request that finds an entry stale
 * within the window gets it at once ({@code STALE}), and the entry is refreshed in the
 * background by one request the client does not wait for — the request as a miss of it would
 * go, conditional on the entry's validators ({@link DetachedFetch}). A 304 refreshes the entry,
 * a storable response replaces it, anything else (an error, a failure) leaves it to go stale and
 * be revalidated by a later request. One refresh per key at a time (it leads the key's miss, so
 * requests meanwhile get the stale entry), at most {@link CacheNode#MAX_REFRESHES} on the node,
 * each given up after {@link #DEADLINE_MS} (a backend trickling its body never holds a slot).
 * The client's own conditions and ranges are not sent: only the entry's validators ask for a
 * 304, so only a 304 to them refreshes it.
 */
final class BackgroundRefresh {

  /** How long a refresh may take, its body included. */
  static final long DEADLINE_MS = 30_000;
  private static final List<String> CLIENT_CONDITIONS = List.of("If-None-Match", "If-Modified-Since", "If-Match",
      "If-Unmodified-Since", "If-Range", "Range");

  private final CacheNode node;
  private final CacheWrites writes;
  private final String key;
  /** The content coding in the key, the only one the backend is offered. */
  private final String encoding;
  private final CachedResponse stale;
  /** The client request's fields, copied (read once its exchange is over): they decide, as for a miss, what may be stored. */
  private final MultiMap asked;
  private final CacheNode.Miss miss;
  private boolean over;
  /** Whether the request carried the entry's validators (a 304 to anything else refreshes nothing). */
  private boolean conditional;
  /** Closes the backend connection of a response under way; nothing before one came. */
  private Runnable giveUp = () -> { };
  private Vertx vertx;
  private long deadline = -1;

  /** A refresh of {@code stale} under {@code key}, whose miss {@code miss} the caller leads and hands over. */
  BackgroundRefresh(CacheNode node, CacheWrites writes, String key, String encoding, CachedResponse stale,
      MultiMap requestHeaders, CacheNode.Miss miss) {
    this.node = node;
    this.writes = writes;
    this.key = key;
    this.encoding = encoding;
    this.stale = stale;
    this.asked = HttpHeaders.headers().addAll(requestHeaders);
    this.miss = miss;
  }

  /**
   * Starts it with {@code fetch} once the filters' request steps are over (the fields they set
   * are known then), or, without a fetch or with every refresh of the node taken, ends the miss
   * at once: a later request finds the entry stale again.
   */
  void start(DetachedFetch fetch) {
    if (fetch == null || !node.startRefresh()) {
      node.missEnded(key, miss);
      return;
    }
    Context context = Vertx.currentContext();
    if (context == null) {
      send(fetch);
    } else {
      context.runOnContext(v -> send(fetch));
    }
  }

  private void send(DetachedFetch fetch) {
    long requestTime = System.currentTimeMillis();
    Context context = Vertx.currentContext();
    if (context != null) {
      vertx = context.owner();
      deadline = vertx.setTimer(DEADLINE_MS, id -> {
        deadline = -1;
        giveUp.run();
        end();
      });
    }
    try {
      fetch.send(headers -> {
        CLIENT_CONDITIONS.forEach(headers::remove);
        conditional = CacheWrites.ask(headers, encoding, stale);
      }).onComplete(ar -> {
        if (over) {
          if (ar.succeeded()) {
            ar.result().reset().run();  // past the deadline: nobody reads it
          }
          return;
        }
        try {
          if (ar.succeeded()) {
            answered(ar.result(), requestTime);
          } else {
            end();
          }
        } catch (RuntimeException e) {
          end();
          throw e;
        }
      });
    } catch (RuntimeException e) {
      end();
      throw e;
    }
  }

  private void answered(DetachedFetch.Response response, long requestTime) {
    giveUp = response.reset();
    if (response.status() == 304) {
      if (conditional) {
        writes.refresh(key, stale, asked, response.headers(), requestTime);
      }
      end();
      response.body().handler(chunk -> { }).endHandler(v -> { }).resume();  // the connection goes back to its pool
      return;
    }
    CacheRecorder recorder = writes.recorder(key, encoding, HttpMethod.GET, asked, response.status(),
        response.headers(), requestTime, this::end);
    if (recorder == null) {
      response.reset().run();  // not stored: nobody wants the body
      end();
      return;
    }
    response.body()
        .exceptionHandler(e -> {
          recorder.discard();
          end();
        })
        .endHandler(v -> {
          try {
            recorder.finish();
          } finally {
            end();
          }
        })
        .handler(chunk -> {
          recorder.apply(chunk);
          if (!recorder.copying()) {
            response.reset().run();  // grew past the bound: dropped
            end();
          }
        })
        .resume();
  }

  /** The refresh is over, however it went: the miss's waiters look again, the node's slot is given back. Once. */
  private void end() {
    if (!over) {
      over = true;
      if (deadline != -1) {
        vertx.cancelTimer(deadline);
      }
      node.missEnded(key, miss);
      node.refreshEnded();
    }
  }
}
