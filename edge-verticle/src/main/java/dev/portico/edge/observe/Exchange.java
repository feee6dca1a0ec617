package dev.portico.edge.observe;

import dev.portico.contract.RequestPath;
import dev.portico.contract.Target;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.concurrent.ThreadLocalRandom;

/**
 * One request through the edge, from its first byte to its last: what it asked for (host,
 * authority, request target), the route it got, the targets tried, and what the access log and
 * the metrics need (request id, timings), recorded once when the response ends or the client
 * goes away. It is its response's end handler itself: one object per request, not two.
 */
public final class Exchange implements Handler<Void> {

  public static final String REQUEST_ID = "X-Request-Id";
  /** Status logged for a client that went away before its response ended (nginx's 499). */
  public static final int CLIENT_CLOSED = 499;
  private static final int MAX_REQUEST_ID = 128;

  private final HttpServerRequest request;
  private final EdgeMetrics metrics;
  private final AccessLog accessLog;
  private final long startNanos = System.nanoTime();
  private final String requestId;
  private String client;
  private String authority;
  private String host;
  private RequestPath path;
  private String site;
  /** The site's meters, or null: looked up by {@link #site} when the exchange is recorded. */
  private EdgeMetrics.SiteMeters siteMeters;
  private Target target;
  private int attempts;
  private long backendStartNanos;
  private long backendNanos = -1;
  private Runnable onRecord;
  private Runnable whenOver;
  private boolean recorded;
  private String cacheResult;

  private Exchange(HttpServerRequest request, EdgeMetrics metrics, AccessLog accessLog, String requestId) {
    this.request = request;
    this.metrics = metrics;
    this.accessLog = accessLog;
    this.requestId = requestId;
  }

  /** Starts observing {@code request}: its id is passed on to the backend and back to the client. */
  public static Exchange begin(HttpServerRequest request, EdgeMetrics metrics, AccessLog accessLog) {
    String id = request.getHeader(REQUEST_ID);
    if (!isValidRequestId(id)) {
      id = newRequestId();
      request.headers().set(REQUEST_ID, id);
    }
    Exchange exchange = new Exchange(request, metrics, accessLog, id);
    HttpServerResponse response = request.response();
    response.putHeader(REQUEST_ID, id);
    response.endHandler(exchange);
    return exchange;
  }

  /**
   * The response ended, or its connection or stream closed first (Vert.x runs the end handler
   * then too, before the close handler): records the status sent, or {@link #CLIENT_CLOSED}.
   */
  @Override
  public void handle(Void ended) {
    HttpServerResponse response = request.response();
    record(response.ended() ? response.getStatusCode() : CLIENT_CLOSED);
  }

  public HttpServerRequest request() {
    return request;
  }

  public String requestId() {
    return requestId;
  }

  /** The client's address as text (null: unknown), made once: the filters, the backend's headers and the log share it. */
  public String client() {
    if (client == null && request.remoteAddress() != null) {
      client = request.remoteAddress().hostAddress();
    }
    return client;
  }

  /** What the client asked for: its authority as sent, the canonical host, the normalised request target. */
  public void asked(String authority, String host, RequestPath path) {
    this.authority = authority;
    this.host = host;
    this.path = path;
  }

  public String authority() {
    return authority;
  }

  public String host() {
    return host;
  }

  /** The request target the backend receives (and the site's policies were decided on). */
  public String uri() {
    return path.target();
  }

  public RequestPath path() {
    return path;
  }

  /** The pattern of the site that serves the request (null: none), and its meters on this edge instance. */
  public void site(String pattern, EdgeMetrics.SiteMeters meters) {
    this.site = pattern;
    this.siteMeters = meters;
  }

  /** A backend request to {@code target} starts; returns how many were made before it. */
  public int backendRequested(Target target) {
    this.target = target;
    this.backendStartNanos = System.nanoTime();
    return attempts++;
  }

  public Target target() {
    return target;
  }

  public void backendResponded() {
    backendNanos = System.nanoTime() - backendStartNanos;
  }

  /** Runs {@code action} once the exchange is over (response ended or client gone). */
  public void onRecord(Runnable action) {
    this.onRecord = action;
  }

  /**
   * Also runs {@code action} once the exchange is over, however it ends (each call adds one,
   * unlike {@link #onRecord}): what a request holds beyond its response, such as the lead of a
   * cache miss that others wait on, is let go here.
   */
  public void whenOver(Runnable action) {
    Runnable before = whenOver;
    whenOver = before == null ? action : () -> {
      before.run();
      action.run();
    };
  }

  /** What the site's response cache did for the request ({@code HIT}, {@code MISS}, ...), counted when it is recorded. */
  public void cacheResult(String result) {
    cacheResult = result;
  }

  /** The client went away before the response ended. */
  public void clientClosed() {
    record(CLIENT_CLOSED);
  }

  /** Records the exchange once: metrics, then the access log line. */
  public void record(int status) {
    if (recorded) {
      return;
    }
    recorded = true;
    if (onRecord != null) {
      onRecord.run();
    }
    if (whenOver != null) {
      whenOver.run();
    }
    long nanos = System.nanoTime() - startNanos;
    EdgeMetrics.SiteMeters meters = siteMeters != null ? siteMeters : metrics.site(site);
    meters.request(status, nanos);
    if (backendNanos >= 0) {
      meters.backend(backendNanos);
    }
    if (cacheResult != null) {
      meters.cache(cacheResult, request.response().bytesWritten());
    }
    if (accessLog.enabled()) {
      accessLog.log(request, requestId, client(), host, site, status, nanos, target, backendNanos);
    }
  }

  /** Client-given ids are passed through when they are short and plainly printable. */
  public static boolean isValidRequestId(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_REQUEST_ID) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /** 64 random bits in hex (16 digits): unique enough to find a request, and cheap to make. */
  private static String newRequestId() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
  }
}
