package dev.portico.edge;

import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * The access log of one edge verticle: one JSON object per request, a line each, on the
 * {@code portico.access} logger (which the launcher sends to stdout or a file through an
 * asynchronous appender). Lines are appended to a buffer and handed over once per event-loop
 * turn, so under load one log call and one write carry many lines; when idle, a line leaves as
 * soon as its turn ends. Lines are built by hand: no JSON tree for every request.
 */
final class AccessLog {

  private static final Logger LOG = LoggerFactory.getLogger("portico.access");

  private final Context context;
  private final StringBuilder pending = new StringBuilder(4096);

  AccessLog(Context context) {
    this.context = context;
  }

  boolean enabled() {
    return LOG.isInfoEnabled();
  }

  /** One request's line; see the README for the fields. */
  void log(HttpServerRequest request, String requestId, String host, String site, int status, long nanos,
      String upstream, long upstreamNanos) {
    if (pending.length() == 0) {
      context.runOnContext(v -> flush());
    }
    StringBuilder line = pending;
    line.append("{\"time\":\"").append(Instant.now()).append('"');
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
        .append(",\"durationMs\":").append(nanos / 1e6);
    string(line, "upstream", upstream);
    line.append(",\"upstreamMs\":").append(upstreamNanos < 0 ? "null" : Double.toString(upstreamNanos / 1e6))
        .append("}\n");
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
