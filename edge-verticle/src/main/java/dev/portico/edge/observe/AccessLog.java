package dev.portico.edge.observe;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * The access log of one edge verticle: one JSON object per request, a line each, on the
 * {@code portico.access} logger (which the launcher sends to stdout or a file through an
 * asynchronous appender). Lines are appended to a buffer and handed over every
 * {@link #FLUSH_MS} ms, or as soon as {@link #FLUSH_BYTES} are pending: one log call, one
 * thread hand-off and one write carry many lines (handing over each line cost a fifth of the
 * edge's throughput). Lines are built by hand: no JSON tree for every request.
 */
public final class AccessLog {

  private static final Logger LOG = LoggerFactory.getLogger("portico.access");
  static final long FLUSH_MS = 100;
  static final int FLUSH_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final StringBuilder pending = new StringBuilder(4096);
  /** The time stamp text of {@link #stampMillis}: lines logged in the same millisecond share it. */
  private String stamp = "";
  private long stampMillis = -1;

  public AccessLog(Vertx vertx) {
    this.vertx = vertx;
  }

  boolean enabled() {
    return LOG.isInfoEnabled();
  }

  /** One request's line; see the README for the fields. */
  void log(HttpServerRequest request, String requestId, String host, String site, int status, long nanos,
      String upstream, long upstreamNanos) {
    if (pending.length() == 0) {
      vertx.setTimer(FLUSH_MS, id -> flush());
    }
    StringBuilder line = pending;
    line.append("{\"time\":\"").append(now()).append('"');
    string(line, "requestId", requestId);
    string(line, "client", request.remoteAddress() == null ? null : request.remoteAddress().hostAddress());
    string(line, "method", request.method().name());
    string(line, "host", host);
    string(line, "path", request.path());
    string(line, "protocol", request.version() == null ? null : request.version().alpnName());
    string(line, "site", site);
    line.append(",\"status\":").append(status)
        .append(",\"bytesIn\":").append(request.bytesRead())
        .append(",\"bytesOut\":").append(request.response().bytesWritten())
        .append(",\"durationMs\":");
    millis(line, nanos);
    string(line, "upstream", upstream);
    line.append(",\"upstreamMs\":");
    if (upstreamNanos < 0) {
      line.append("null");
    } else {
      millis(line, upstreamNanos);
    }
    line.append("}\n");
    if (pending.length() >= FLUSH_BYTES) {
      flush();
    }
  }

  private String now() {
    long millis = System.currentTimeMillis();
    if (millis != stampMillis) {
      stampMillis = millis;
      stamp = Instant.ofEpochMilli(millis).toString();
    }
    return stamp;
  }

  /** Milliseconds with microsecond precision, without going through floating point. */
  private static void millis(StringBuilder line, long nanos) {
    long micros = nanos / 1_000;
    long fraction = micros % 1_000;
    line.append(micros / 1_000).append('.').append(fraction < 100 ? (fraction < 10 ? "00" : "0") : "").append(fraction);
  }

  private void flush() {
    if (pending.length() > 0) {
      pending.setLength(pending.length() - 1);  // the appender adds the last line break
      LOG.info(pending.toString());
      pending.setLength(0);
    }
  }

  private static void string(StringBuilder line, String field, String value) {
    line.append(",\"").append(field).append("\":");
    if (value == null) {
      line.append("null");
      return;
    }
    line.append('"');
    for (int i = 0; i < value.length(); i++) {
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
    line.append('"');
  }
}
