package dev.portico.edge.http;

import dev.portico.contract.HostName;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;

import java.util.List;

/** What a request asks for: its authority, and its request target in origin form. */
final class RequestTarget {

  private RequestTarget() {
  }

  /** The authority the client asked for: the Host header, or HTTP/2's {@code :authority}; null when missing or repeated. */
  static String authority(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2) {
      HostAndPort authority = request.authority();
      return authority == null ? null : authority.port() < 0 ? authority.host() : authority.host() + ":" + authority.port();
    }
    List<String> hosts = request.headers().getAll(HttpHeaders.HOST);
    return hosts.size() == 1 ? hosts.get(0) : null;
  }

  /**
   * The request target as the client meant it, not yet normalised ({@code RequestPath} does that):
   * origin-form as received, {@code *} for OPTIONS, or the path of an absolute-form target whose
   * host is the requested one (RFC 9112 3.2.2); {@code null} for anything else.
   */
  static String originForm(HttpServerRequest request, String host) {
    String uri = request.uri();
    if (uri.startsWith("/") || (uri.equals("*") && request.method() == HttpMethod.OPTIONS)) {
      return uri;
    }
    int scheme = uri.indexOf("://");
    if (scheme < 0 || !(uri.regionMatches(true, 0, "http", 0, scheme) || uri.regionMatches(true, 0, "https", 0, scheme))) {
      return null;
    }
    int authorityStart = scheme + 3;
    int pathStart = authorityStart;
    while (pathStart < uri.length() && uri.charAt(pathStart) != '/' && uri.charAt(pathStart) != '?') {
      pathStart++;
    }
    if (!host.equals(HostName.canonical(uri.substring(authorityStart, pathStart)))) {
      return null;
    }
    String path = uri.substring(pathStart);
    return path.isEmpty() ? "/" : path.startsWith("?") ? "/" + path : path;
  }
}
