package dev.portico.edge.pipeline;

import dev.portico.contract.IpAddresses;
import io.vertx.core.MultiMap;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One request's passage through its site's {@link FilterChain}: the request, the site, the
 * client's address (worked out once, when a filter first asks), what filters attach for their
 * later steps (a verified token's claims), and the response head the response steps edit. Made
 * only for sites that have filters.
 */
public final class FilterContext {

  private final ClientRequest request;
  private final SiteInfo site;
  private byte[] clientAddress;
  private boolean clientAddressKnown;
  private Map<Object, Object> attachments;
  private int responseStatus;
  private MultiMap responseHeaders;
  private Runnable whenDone;
  private String cacheResult;
  private DetachedFetch detachedFetch;
  /** Bit i: filter i applies to this request. */
  long applying;
  /** How many filters the request passed (those whose response steps run). */
  int passed;

  public FilterContext(ClientRequest request, SiteInfo site) {
    this.request = request;
    this.site = site;
  }

  public ClientRequest request() {
    return request;
  }

  public SiteInfo site() {
    return site;
  }

  /** The client's normalised address ({@link ClientAddress}), or {@code null} when it cannot be known. */
  public byte[] clientAddress() {
    if (!clientAddressKnown) {
      clientAddress = ClientAddress.of(request.peer(), request.headers(), site.trustedProxies());
      clientAddressKnown = true;
    }
    return clientAddress;
  }

  /**
   * Whether the client reached the site over TLS: the connection's own TLS, or — when the peer is
   * one of the site's trusted proxies (a TLS-terminating balancer) — the right-most
   * {@code X-Forwarded-Proto} value, the one that proxy wrote. From any other peer the header is
   * not read: nobody else can claim HTTPS.
   */
  public boolean clientSecure() {
    byte[] peer = request.peer() == null ? null : IpAddresses.parse(request.peer());
    if (peer == null || site.trustedProxies().isEmpty() || !ClientAddress.anyContains(site.trustedProxies(), peer)) {
      return request.secure();
    }
    List<String> values = request.headers().getAll("X-Forwarded-Proto");
    if (values.isEmpty()) {
      return request.secure();
    }
    String last = values.get(values.size() - 1);
    return last.substring(last.lastIndexOf(',') + 1).trim().equalsIgnoreCase("https");
  }

  /** Keeps {@code value} under {@code key} (by convention the filter itself) for the request's later steps. */
  public void attach(Object key, Object value) {
    if (attachments == null) {
      attachments = new HashMap<>(4);
    }
    attachments.put(key, value);
  }

  /** What was attached under {@code key}, or null. */
  public Object attached(Object key) {
    return attachments == null ? null : attachments.get(key);
  }

  /** Sets the response head the response steps see and edit: the status, and the client response's headers. */
  public void respond(int status, MultiMap headers) {
    this.responseStatus = status;
    this.responseHeaders = headers;
  }

  /**
   * Runs {@code action} when the request is over, in every outcome: relayed, answered by the edge
   * (an error, a refusal, a 413), turned into a tunnel, or abandoned by its client. Each call adds one.
   */
  public void whenDone(Runnable action) {
    Runnable before = whenDone;
    whenDone = before == null ? action : () -> {
      before.run();
      action.run();
    };
  }

  /** The request is over: runs what {@link #whenDone} was given, once. */
  public void done() {
    Runnable actions = whenDone;
    whenDone = null;
    if (actions != null) {
      actions.run();
    }
  }

  /** What the response cache did for the request ({@code HIT}, {@code MISS}, ...: its {@code X-Cache}), or null. */
  public String cacheResult() {
    return cacheResult;
  }

  public void cacheResult(String result) {
    this.cacheResult = result;
  }

  /** The request sent again apart from its client ({@link DetachedFetch}), or null when the request path offers none. */
  public DetachedFetch detachedFetch() {
    return detachedFetch;
  }

  public void detachedFetch(DetachedFetch fetch) {
    this.detachedFetch = fetch;
  }

  public int responseStatus() {
    return responseStatus;
  }

  /** The headers the client will receive (the backend's end-to-end fields, or an answer's). */
  public MultiMap responseHeaders() {
    return responseHeaders;
  }
}
