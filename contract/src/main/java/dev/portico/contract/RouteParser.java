package dev.portico.contract;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads a site's {@code routes} ({@link PathRoute}); every error names the field as
 * {@code routes[3].regex}. Policies are parsed by {@link SitePolicies} itself, through
 * {@link PolicyOverrides}.
 */
final class RouteParser {

  /** The site fields a route may override. */
  static final Set<String> OVERRIDES = Stream.concat(SitePolicies.FIELDS.stream(),
      Stream.of("targets", "connectTimeoutMs", "readTimeoutMs", "maxBodyBytes")).collect(Collectors.toUnmodifiableSet());
  private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);
  /** Headers the edge frames itself: a respond route may not set them. */
  private static final Set<String> FRAMING_HEADERS = Set.of("content-length", "transfer-encoding", "connection",
      "keep-alive", "upgrade", "te", "trailer", "proxy-connection");

  private RouteParser() {
  }

  static SiteRoutes parse(JsonObject siteJson, Site site) {
    Object value = siteJson.getValue("routes");
    if (value == null) {
      return SiteRoutes.NONE;
    }
    if (!(value instanceof JsonArray array) || array.size() > SiteLimits.MAX_ROUTES) {
      throw new InvalidSiteException("routes", "routes must be an array of at most " + SiteLimits.MAX_ROUTES + " routes");
    }
    List<PathRoute> routes = new ArrayList<>(array.size());
    List<Pattern> patterns = new ArrayList<>(array.size());
    int regexes = 0;
    for (int i = 0; i < array.size(); i++) {
      String at = "routes[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject json)) {
        throw new InvalidSiteException(at, at + " must be an object");
      }
      try {
        PathRoute route = route(json, site);
        if (route.kind() == PathRoute.Kind.REGEX && ++regexes > SiteLimits.MAX_REGEX_ROUTES) {
          throw new InvalidSiteException("regex", "a site has at most " + SiteLimits.MAX_REGEX_ROUTES + " regex routes");
        }
        patterns.add(route.kind() == PathRoute.Kind.REGEX ? Pattern.compile(route.path()) : null);
        routes.add(route);
      } catch (InvalidSiteException e) {
        String field = e.field() == null ? at : at + "." + e.field();
        throw new InvalidSiteException(field, field + ": " + e.getMessage());
      }
    }
    return SiteRoutes.of(routes, patterns);
  }

  private static PathRoute route(JsonObject json, Site site) {
    List<PathRoute.Kind> kinds = Stream.of(PathRoute.Kind.values()).filter(kind -> json.getValue(kind.field()) != null)
        .toList();
    if (kinds.size() != 1) {
      throw new InvalidSiteException(null, "a route has exactly one of exact, prefix or regex");
    }
    PathRoute.Kind kind = kinds.get(0);
    String path = kind == PathRoute.Kind.REGEX ? regex(json) : path(json, kind.field());
    Set<String> overridden = new LinkedHashSet<>();
    for (String field : OVERRIDES) {
      if (json.containsKey(field) && !(field.equals("targets") && json.getValue(field) == null)) {
        overridden.add(field);
      }
    }
    Site served = new Site(
        overridden.contains("targets") ? Site.targets(json) : site.targets(),
        override(json, "connectTimeoutMs", site.connectTimeoutMs(), Site.DEFAULT_CONNECT_TIMEOUT_MS),
        override(json, "readTimeoutMs", site.readTimeoutMs(), Site.DEFAULT_READ_TIMEOUT_MS),
        site.tls(), site.redirectHttps(), site.includeApex(), site.owner(),
        json.containsKey("maxBodyBytes") ? Site.maxBodyBytes(json) : site.maxBodyBytes(),
        PolicyOverrides.apply(site.policies(), json),
        SiteRoutes.NONE,
        overridden.contains("targets") ? site.upstream().withoutWeights() : site.upstream(),
        site.backendTls());
    Object strip = json.getValue("stripPrefix", false);
    if (!(strip instanceof Boolean)) {
      throw new InvalidSiteException("stripPrefix", "stripPrefix must be true or false");
    }
    if ((Boolean) strip && kind != PathRoute.Kind.PREFIX) {
      throw new InvalidSiteException("stripPrefix", "only a prefix route strips its prefix");
    }
    String addPrefix = json.getValue("addPrefix") == null ? null : path(json, "addPrefix");
    PathRoute.Respond respond = respond(json);
    PathRoute.Redirect redirect = redirect(json);
    int ways = (respond != null ? 1 : 0) + (redirect != null ? 1 : 0) + (overridden.contains("targets") ? 1 : 0);
    if (ways > 1) {
      throw new InvalidSiteException(respond != null ? "respond" : "redirect",
          "a route answers with respond, with redirect or from its targets: one of them");
    }
    if (respond != null && ((Boolean) strip || addPrefix != null)) {
      throw new InvalidSiteException("respond", "a respond route forwards nothing: it has no stripPrefix or addPrefix");
    }
    return new PathRoute(kind, path, methods(json), header(json), served, (Boolean) strip, addPrefix, respond, redirect,
        overridden);
  }

  private static int override(JsonObject json, String field, int inherited, int defaultValue) {
    return json.containsKey(field) ? Site.timeout(json, field, defaultValue) : inherited;
  }

  /** An exact or prefix path, or addPrefix: a path in normal form (as the edge normalises), no query or parameters. */
  private static String path(JsonObject json, String field) {
    if (!(json.getValue(field) instanceof String text) || !text.startsWith("/")
        || text.length() > SiteLimits.MAX_ROUTE_PATH_CHARS) {
      throw new InvalidSiteException(field, field + " is a path starting with / of at most "
          + SiteLimits.MAX_ROUTE_PATH_CHARS + " characters");
    }
    if (text.indexOf('?') >= 0 || text.indexOf(';') >= 0) {
      throw new InvalidSiteException(field, field + " has no query and no ;parameters (they are not matched)");
    }
    String normal;
    try {
      normal = RequestPath.parse(text).path();
      RequestPath.prefixForm(text);
    } catch (RequestPath.InvalidPathException e) {
      throw new InvalidSiteException(field, field + " is a path a request may have: " + e.getMessage());
    }
    if (!normal.equals(text)) {
      throw new InvalidSiteException(field, field + " is matched against normalised paths: write it as " + normal);
    }
    return text;
  }

  private static String regex(JsonObject json) {
    if (!(json.getValue("regex") instanceof String text) || text.isEmpty()
        || text.length() > SiteLimits.MAX_REGEX_CHARS) {
      throw new InvalidSiteException("regex", "regex is an expression of 1 to " + SiteLimits.MAX_REGEX_CHARS
          + " characters");
    }
    if (RegexShape.repeatProduct(text) > SiteLimits.MAX_REGEX_REPEAT_PRODUCT) {
      throw new InvalidSiteException("regex", "the counted repetitions ({n}, {n,m}) of regex multiply to more than "
          + SiteLimits.MAX_REGEX_REPEAT_PRODUCT);
    }
    try {
      Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      throw new InvalidSiteException("regex", "regex is not an RE2 expression: " + e.getDescription());
    }
    return text;
  }

  private static Set<String> methods(JsonObject json) {
    Object value = json.getValue("methods");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > SiteLimits.MAX_ROUTE_METHODS) {
      throw new InvalidSiteException("methods", "methods is an array of 1 to " + SiteLimits.MAX_ROUTE_METHODS + " methods");
    }
    Set<String> methods = new HashSet<>();
    for (Object method : array) {
      if (!(method instanceof String text) || text.length() > 32 || !FieldSyntax.isToken(text)) {
        throw new InvalidSiteException("methods", "a method is a token such as GET");
      }
      methods.add(text);
    }
    return methods;
  }

  private static PathRoute.HeaderMatch header(JsonObject json) {
    Object value = json.getValue("header");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject header) || !(header.getValue("name") instanceof String name)
        || name.length() > 256 || !FieldSyntax.isToken(name) || !(header.getValue("value") instanceof String text)
        || text.length() > SiteLimits.MAX_TEXT_CHARS || !FieldSyntax.isFieldValue(text)) {
      throw new InvalidSiteException("header", "header is {\"name\": a header name, \"value\": printable text}");
    }
    return new PathRoute.HeaderMatch(name, text);
  }

  private static PathRoute.Respond respond(JsonObject json) {
    Object value = json.getValue("respond");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject respond)) {
      throw new InvalidSiteException("respond", "respond is {\"status\", \"headers\", \"body\"}");
    }
    int status = status(respond, "respond.status", 200);
    if (status < 200 || status > 599) {
      throw new InvalidSiteException("respond.status", "respond.status is from 200 to 599");
    }
    Object headers = respond.getValue("headers", new JsonObject());
    if (!(headers instanceof JsonObject fields) || fields.size() > SiteLimits.MAX_RESPOND_HEADERS) {
      throw new InvalidSiteException("respond.headers", "respond.headers maps at most "
          + SiteLimits.MAX_RESPOND_HEADERS + " header names to values");
    }
    Map<String, String> answer = new LinkedHashMap<>();
    for (String name : fields.fieldNames()) {
      if (name.length() > 256 || !FieldSyntax.isToken(name) || !(fields.getValue(name) instanceof String text)
          || text.length() > SiteLimits.MAX_TEXT_CHARS || !FieldSyntax.isFieldValue(text)
          || FRAMING_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        throw new InvalidSiteException("respond.headers", "respond.headers are header names (not framing ones such"
            + " as Content-Length) with printable values: " + name);
      }
      answer.put(name, text);
    }
    Object body = respond.getValue("body", "");
    if (!(body instanceof String text) || text.length() > SiteLimits.MAX_RESPOND_BODY_CHARS) {
      throw new InvalidSiteException("respond.body", "respond.body is text of at most "
          + SiteLimits.MAX_RESPOND_BODY_CHARS + " characters");
    }
    return new PathRoute.Respond(status, answer, text);
  }

  private static PathRoute.Redirect redirect(JsonObject json) {
    Object value = json.getValue("redirect");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject redirect)) {
      throw new InvalidSiteException("redirect", "redirect is {\"status\", \"location\"}");
    }
    int status = status(redirect, "redirect.status", 302);
    if (!REDIRECT_STATUSES.contains(status)) {
      throw new InvalidSiteException("redirect.status", "redirect.status is one of " + REDIRECT_STATUSES);
    }
    if (!(redirect.getValue("location") instanceof String location) || location.isEmpty()
        || location.length() > SiteLimits.MAX_TEXT_CHARS || !FieldSyntax.isFieldValue(location)
        || location.indexOf(' ') >= 0 || location.indexOf('\t') >= 0) {
      throw new InvalidSiteException("redirect.location", "redirect.location is a URL without spaces");
    }
    String rest = location.replace("$path", "").replace("$query", "");
    if (rest.indexOf('$') >= 0) {
      throw new InvalidSiteException("redirect.location", "redirect.location may hold $path and $query, no other $");
    }
    return new PathRoute.Redirect(status, location);
  }

  private static int status(JsonObject json, String field, int defaultValue) {
    Object value = json.getValue("status", defaultValue);
    if (!(value instanceof Integer status)) {
      throw new InvalidSiteException(field, field + " is an HTTP status");
    }
    return status;
  }
}
