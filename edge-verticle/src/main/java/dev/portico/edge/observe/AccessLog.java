package dev.portico.edge.observe;

import dev.portico.contract.Target;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * The access log of one edge verticle: one JSON object per request, a line each, on the
 * {@code portico.access} logger (which the launcher sends to stdout or a file). Lines are
 * appended to a buffer and handed to the {@link AccessLogWriter} thread every {@link #FLUSH_MS}
 * ms, or as soon as {@link #FLUSH_BYTES} are pending: one hand-off and one write carry many lines
 * (handing over each line cost a fifth of the edge's throughput). Lines are built by hand, text
 * without characters to escape is appended in one copy: no JSON tree, no per-field objects.
 */
public final class AccessLog {

  private static final Logger LOG = LoggerFactory.getLogger("portico.access");
  static final long FLUSH_MS = 100;
  static final int FLUSH_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final StringBuilder pending = new StringBuilder(FLUSH_BYTES + 4096);
  private int pendingLines;
  /**
   * The time stamp of {@link #stampSecond} up to its seconds, as {@link Instant#toString} writes
   * it: lines logged in the same second share it, and only their milliseconds are written apiece.
   */
  private String stamp = "";
  private long stampSecond = Long.MIN_VALUE;

  public AccessLog(Vertx vertx) {
    this.vertx = vertx;
  }

  boolean enabled() {
    return LOG.isInfoEnabled();
  }

  /** One request's line; see the README for the fields. */
  void log(HttpServerRequest request, String requestId, String client, String host, String site, int status, long nanos,
      Target upstream, long upstreamNanos) {
    if (pending.length() == 0) {
      vertx.setTimer(FLUSH_MS, id -> flush());
    }
    StringBuilder line = pending;
    line.append("{\"time\":\"");
    now(line);
    line.append('"');
    string(line, ",\"requestId\":", requestId);
    string(line, ",\"client\":", client);
    string(line, ",\"method\":", request.method().name());
    string(line, ",\"host\":", host);
    string(line, ",\"path\":", request.path());
    string(line, ",\"protocol\":", request.version() == null ? null : request.version().alpnName());
    string(line, ",\"site\":", site);
    line.append(",\"status\":").append(status)
        .append(",\"bytesIn\":").append(request.bytesRead())
        .append(",\"bytesOut\":").append(request.response().bytesWritten())
        .append(",\"durationMs\":");
    millis(line, nanos);
    target(line, upstream);
    line.append(",\"upstreamMs\":");
    if (upstreamNanos < 0) {
      line.append("null");
    } else {
      millis(line, upstreamNanos);
    }
    line.append("}\n");
    pendingLines++;
    if (pending.length() >= FLUSH_BYTES) {
      flush();
    }
  }

  /** Appends the time as {@link Instant#toString} writes it: {@code 2026-11-28T04:30:12.345Z}, no fraction on the second. */
  private void now(StringBuilder line) {
    long millis = System.currentTimeMillis();
    long second = Math.floorDiv(millis, 1000);
    if (second != stampSecond) {
      stampSecond = second;
      String whole = Instant.ofEpochSecond(second).toString();
      stamp = whole.substring(0, whole.length() - 1);  // without its Z
    }
    line.append(stamp);
    int fraction = (int) Math.floorMod(millis, 1000);
    if (fraction != 0) {
      line.append('.').append(fraction < 100 ? (fraction < 10 ? "00" : "0") : "").append(fraction);
    }
    line.append('Z');
  }

  /** Milliseconds with microsecond precision, without going through floating point. */
  private static void millis(StringBuilder line, long nanos) {
    long micros = nanos / 1_000;
    long fraction = micros % 1_000;
    line.append(micros / 1_000).append('.').append(fraction < 100 ? (fraction < 10 ? "00" : "0") : "").append(fraction);
  }

  /** Hands the last lines to the writer thread and waits (off the event loop, at most a second) for them to be written. */
  public Future<Void> close() {
    flush();
    return vertx.executeBlocking(() -> {
      AccessLogWriter.awaitWritten(1_000);
      return null;
    });
  }

  /** Hands the pending lines to the writer thread. */
  void flush() {
    if (pending.length() > 0) {
      AccessLogWriter.offer(pending.toString(), pendingLines);  // every line with its line break: the appender adds none
      pending.setLength(0);
      pendingLines = 0;
    }
  }

  private static void target(StringBuilder line, Target target) {
    line.append(",\"upstream\":");
    if (target == null) {
      line.append("null");
    } else if (target.host().indexOf(':') >= 0) {
      line.append("\"[").append(target.host()).append("]:").append(target.port()).append('"');
    } else {
      line.append('"');
      escaped(line, target.host());
      line.append(':').append(target.port()).append('"');
    }
  }

  /** Appends {@code prefix} (a constant {@code ,"field":}, or nothing) and {@code value} quoted, escaped for JSON. */
  private static void string(StringBuilder line, String prefix, String value) {
    line.append(prefix);
    if (value == null) {
      line.append("null");
      return;
    }
    line.append('"');
    escaped(line, value);
    line.append('"');
  }

  /** Appends {@code value} escaped for a JSON string. */
  private static void escaped(StringBuilder line, String value) {
    int clean = 0;
    while (clean < value.length()) {
      char c = value.charAt(clean);
      if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
        break;
      }
      clean++;
    }
    if (clean == value.length()) {
      line.append(value);  // the common case: one copy (a range is appended char by char)
      return;
    }
    line.append(value, 0, clean);
    for (int i = clean; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> line.append("\\\"");
        case '\\' -> line.append("\\\\");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            line.append(String.format("\\u%04x", (int) c));
          } else {
            line.append(c);
          }
        }
      }
    }
  }
}
