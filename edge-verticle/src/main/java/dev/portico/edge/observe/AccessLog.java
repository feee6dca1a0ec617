package dev.portico.edge.observe;

import dev.portico.contract.Target;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log of one edge verticle: one JSON object per request, a line each, on the
 * {@code portico.access} logger (which the launcher sends to stdout or a file). Lines are written
 * as UTF-8 bytes into one reused {@link AccessLogBuffer} ({@link AccessLogLine} has the format)
 * and handed to the {@link AccessLogWriter} thread every {@link #FLUSH_MS} ms, or as soon as
 * {@link #FLUSH_BYTES} are pending: one hand-off and one write carry many lines (handing over
 * each line cost a fifth of the edge's throughput).
 */
public final class AccessLog {

  private static final Logger LOG = LoggerFactory.getLogger("portico.access");
  static final long FLUSH_MS = 100;
  static final int FLUSH_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final AccessLogBuffer pending = new AccessLogBuffer(FLUSH_BYTES + 4096);
  private final AccessLogLine line = new AccessLogLine();
  private int pendingLines;
  /** A flush is due within {@link #FLUSH_MS}: one timer at a time, not one each time the buffer was emptied by size. */
  private boolean flushTimerSet;

  public AccessLog(Vertx vertx) {
    this.vertx = vertx;
  }

  boolean enabled() {
    return LOG.isInfoEnabled();
  }

  /** One request's line; see the README for the fields. */
  void log(HttpServerRequest request, String requestId, String client, String host, String site, int status, long nanos,
      Target upstream, long upstreamNanos) {
    if (!flushTimerSet) {
      flushTimerSet = true;
      vertx.setTimer(FLUSH_MS, id -> {
        flushTimerSet = false;
        flush();
      });
    }
    AccessLogLine line = this.line;
    line.epochMillis = System.currentTimeMillis();
    line.requestId = requestId;
    line.client = client;
    line.method = request.method().name();
    line.host = host;
    line.path = request.path();
    line.protocol = request.version() == null ? null : request.version().alpnName();
    line.site = site;
    line.status = status;
    line.bytesIn = request.bytesRead();
    line.bytesOut = request.response().bytesWritten();
    line.nanos = nanos;
    line.upstream = upstream;
    line.upstreamNanos = upstreamNanos;
    line.writeTo(pending);
    pendingLines++;
    if (pending.length() >= FLUSH_BYTES) {
      flush();
    }
  }

  /** Hands the last lines to the writer thread and waits (off the event loop, at most a second) for them to be written. */
  public Future<Void> close() {
    flush();
    return vertx.executeBlocking(() -> {
      AccessLogWriter.PROCESS.awaitWritten(1_000);
      return null;
    });
  }

  /** Hands the pending lines to the writer thread. */
  void flush() {
    if (pending.length() > 0) {
      AccessLogWriter.PROCESS.offer(pending.drain(), pendingLines);  // every line with its line break: the appender adds none
      pendingLines = 0;
    }
  }
}
