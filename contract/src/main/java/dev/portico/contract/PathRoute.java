package dev.portico.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One entry of a site's {@code routes}: which requests it takes (by path, and optionally method
 * and one header value) and what it does with them — forward to its targets with its own policies
 * ({@link #site()}, the site with this route's overrides), after an optional rewrite, or answer at
 * the edge ({@link #respond()}, {@link #redirect()}).
 *
 * @param path       for {@code exact} and {@code prefix}: a normalised path without {@code ;}; for
 *                   {@code regex}: the expression, matched against {@link RoutePaths#strictForm}
 * @param methods    the methods it takes, {@code null} for all
 * @param header     the header value it needs, {@code null} for none
 * @param site       what the request is served as: the site's fields with this route's overrides
 * @param overridden the site fields this route names (the rest it inherits), kept to write it back
 */
public record PathRoute(Kind kind, String path, Set<String> methods, HeaderMatch header, Site site,
    boolean stripPrefix, String addPrefix, Respond respond, Redirect redirect, Set<String> overridden) {

  public PathRoute {
    methods = methods == null ? null : Set.copyOf(methods);
    overridden = Set.copyOf(overridden);
  }

  /** How a route matches a path: the JSON field that holds it. */
  public enum Kind {
    EXACT("exact"), PREFIX("prefix"), REGEX("regex");

    private final String field;

    Kind(String field) {
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  /** A request header whose (first) value must equal {@code value}; the name compared case-insensitively. */
  public record HeaderMatch(String name, String value) {
  }

  /** An answer made at the edge: a health page, a {@code robots.txt}. */
  public record Respond(int status, Map<String, String> headers, String body) {
    public Respond {
      headers = Map.copyOf(headers);
    }
  }

  /**
   * A redirect; {@code location} may hold {@code $path} (the path as it would be forwarded, after
   * {@code stripPrefix}/{@code addPrefix}) and {@code $query} ({@code ?} and the query, or nothing).
   */
  public record Redirect(int status, String location) {
    public String location(String path, String query) {
      return location.replace("$path", path).replace("$query", query == null ? "" : "?" + query);
    }
  }

  /** Whether a request with this method and these headers may take the route (its path aside). */
  public boolean accepts(String method, Function<String, String> headers) {
    return (methods == null || methods.contains(method))
        && (header == null || header.value.equals(headers.apply(header.name)));
  }

  /** The path the backend receives: {@code stripPrefix} and {@code addPrefix} applied to the normalised path. */
  public String forwardedPath(RequestPath request) {
    String path = request.path();
    if (stripPrefix) {
      path = path.substring(RoutePaths.prefixLength(path, RoutePaths.segmentCount(this.path)));
      path = path.isEmpty() ? "/" : path;
    }
    if (addPrefix == null) {
      return path;
    }
    return (addPrefix.endsWith("/") ? addPrefix.substring(0, addPrefix.length() - 1) : addPrefix) + path;
  }

  /** What {@code stripPrefix} removed from the normalised path (for {@code X-Forwarded-Prefix}), {@code null} when nothing. */
  public String strippedPrefix(RequestPath request) {
    int length = stripPrefix ? RoutePaths.prefixLength(request.path(), RoutePaths.segmentCount(path)) : 0;
    return length == 0 ? null : request.path().substring(0, length);
  }

  /**
   * A short name for the route that stays the same while its match does ({@code kind}, path,
   * methods, header): what keeps its rate-limit counters apart from the site's and other routes'.
   */
  public String id() {
    String spec = kind.field + "\n" + path + "\n" + (methods == null ? "*" : String.join(",", new java.util.TreeSet<>(methods)))
        + "\n" + (header == null ? "" : header.name.toLowerCase(java.util.Locale.ROOT) + ":" + header.value);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(spec.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code prefix /api/ GET X-Beta=1}: how the route is named in explanations and logs. */
  public String describe() {
    return kind.field + " " + path + (methods == null ? "" : " " + String.join("|", new java.util.TreeSet<>(methods)))
        + (header == null ? "" : " " + header.name + "=" + header.value);
  }

  /** The route as written: its match, what it does, and only the site fields it overrides ({@code null}: switched off). */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(kind.field, path);
    if (methods != null) {
      json.put("methods", new JsonArray(methods.stream().sorted().toList()));
    }
    if (header != null) {
      json.put("header", new JsonObject().put("name", header.name).put("value", header.value));
    }
    if (stripPrefix) {
      json.put("stripPrefix", true);
    }
    if (addPrefix != null) {
      json.put("addPrefix", addPrefix);
    }
    if (respond != null) {
      json.put("respond", new JsonObject().put("status", respond.status)
          .put("headers", new JsonObject(new LinkedHashMap<>(respond.headers))).put("body", respond.body));
    }
    if (redirect != null) {
      json.put("redirect", new JsonObject().put("status", redirect.status).put("location", redirect.location));
    }
    JsonObject effective = site.toJson();
    for (String field : overridden) {
      json.put(field, effective.getValue(field));
    }
    return json;
  }
}
