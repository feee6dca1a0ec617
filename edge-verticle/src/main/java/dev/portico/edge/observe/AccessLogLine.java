package dev.portico.edge.observe;

import dev.portico.contract.Target;

/**
 * What one access log line says, and how it is written: one JSON object, its fields in this
 * order (the README's access log section shows one). An edge instance fills the one it holds for
 * each request and writes it at once into its {@link AccessLogBuffer}: no object per request.
 * Strings from the request (path, host, request id, method) are escaped, so a line never carries
 * a raw line break or quote whatever the client sent.
 */
final class AccessLogLine {

  private static final byte[] TIME = AccessLogBuffer.ascii("{\"time\":");
  private static final byte[] REQUEST_ID = AccessLogBuffer.ascii(",\"requestId\":");
  private static final byte[] CLIENT = AccessLogBuffer.ascii(",\"client\":");
  private static final byte[] METHOD = AccessLogBuffer.ascii(",\"method\":");
  private static final byte[] HOST = AccessLogBuffer.ascii(",\"host\":");
  private static final byte[] PATH = AccessLogBuffer.ascii(",\"path\":");
  private static final byte[] PROTOCOL = AccessLogBuffer.ascii(",\"protocol\":");
  private static final byte[] SITE = AccessLogBuffer.ascii(",\"site\":");
  private static final byte[] STATUS = AccessLogBuffer.ascii(",\"status\":");
  private static final byte[] BYTES_IN = AccessLogBuffer.ascii(",\"bytesIn\":");
  private static final byte[] BYTES_OUT = AccessLogBuffer.ascii(",\"bytesOut\":");
  private static final byte[] DURATION = AccessLogBuffer.ascii(",\"durationMs\":");
  private static final byte[] UPSTREAM = AccessLogBuffer.ascii(",\"upstream\":");
  private static final byte[] UPSTREAM_MS = AccessLogBuffer.ascii(",\"upstreamMs\":");
  private static final byte[] NULL = AccessLogBuffer.ascii("null");
  private static final byte[] END = AccessLogBuffer.ascii("}\n");

  /** When the request was logged, in milliseconds since the epoch. */
  long epochMillis;
  String requestId;
  /** The client's address (null: unknown). */
  String client;
  String method;
  /** The canonical host asked for (null: none could be read). */
  String host;
  /** The request's path as it came, without its query. */
  String path;
  /** {@code http/1.0}, {@code http/1.1} or {@code h2} (null: unknown). */
  String protocol;
  /** The pattern of the site that served it (null: none). */
  String site;
  int status;
  long bytesIn;
  long bytesOut;
  /** From the request's start to its end. */
  long nanos;
  /** The last backend target asked (null: none). */
  Target upstream;
  /** The backend's time to its response head (negative: no backend answered). */
  long upstreamNanos;

  /** Appends the line, with its line break. */
  void writeTo(AccessLogBuffer out) {
    out.append(TIME);
    out.time(epochMillis);
    out.append(REQUEST_ID);
    out.string(requestId);
    out.append(CLIENT);
    out.string(client);
    out.append(METHOD);
    out.string(method);
    out.append(HOST);
    out.string(host);
    out.append(PATH);
    out.string(path);
    out.append(PROTOCOL);
    out.string(protocol);
    out.append(SITE);
    out.string(site);
    out.append(STATUS);
    out.number(status);
    out.append(BYTES_IN);
    out.number(bytesIn);
    out.append(BYTES_OUT);
    out.number(bytesOut);
    out.append(DURATION);
    out.millis(nanos);
    out.append(UPSTREAM);
    upstream(out);
    out.append(UPSTREAM_MS);
    if (upstreamNanos < 0) {
      out.append(NULL);
    } else {
      out.millis(upstreamNanos);
    }
    out.append(END);
  }

  /** {@code "host:port"}, {@code "[v6]:port"} for an IPv6 address, or null. */
  private void upstream(AccessLogBuffer out) {
    if (upstream == null) {
      out.append(NULL);
      return;
    }
    boolean v6 = upstream.host().indexOf(':') >= 0;
    out.append('"');
    if (v6) {
      out.append('[');
    }
    out.escaped(upstream.host());
    if (v6) {
      out.append(']');
    }
    out.append(':');
    out.number(upstream.port());
    out.append('"');
  }
}
