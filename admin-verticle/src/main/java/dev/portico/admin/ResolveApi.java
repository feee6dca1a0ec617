package dev.portico.admin;

import dev.portico.admin.Api.Reply;
import dev.portico.contract.Addresses;
import dev.portico.contract.DomainPattern;
import dev.portico.contract.HostName;
import dev.portico.contract.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/v1/resolve/{hostname}}: which site serves a name and why — the matching
 * patterns in priority order from the lookup verticle's tree, each with its kind and, for the
 * ones that lost, the label where the winner beat it. A {@code user} sees only its own patterns.
 * With {@code ?path=} (and {@code method}, {@code header}), also which route of the winning site
 * takes that request and why the others lost ({@link RouteQuery}).
 */
final class ResolveApi {

  private static final long TIMEOUT_MS = 2_000;

  private final Vertx vertx;
  private final Records records;

  ResolveApi(Vertx vertx, Records records) {
    this.vertx = vertx;
    this.records = records;
  }

  void mount(Router router) {
    router.get("/api/v1/resolve/:hostname").handler(Api.handle(this::resolve));
  }

  private Future<Reply> resolve(RoutingContext context) {
    String host = HostName.canonical(context.pathParam("hostname"));
    if (host == null) {
      throw ApiError.badRequest("hostname", "'" + context.pathParam("hostname") + "' is not a host name");
    }
    Principal principal = Api.principal(context);
    RouteQuery route = RouteQuery.of(context);
    return vertx.eventBus().<JsonObject>request(Addresses.EXPLAIN, host, new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
        .recover(e -> Future.failedFuture(ApiError.unavailable("no lookup verticle answered: " + e.getMessage())))
        .compose(reply -> visiblePatterns(principal, reply.body().getJsonArray("patterns")))
        .compose(patterns -> route == null || patterns.isEmpty() ? Reply.ok(explain(host, patterns))
            : route.explain(records, patterns.get(0)).compose(routed -> Reply.ok(explain(host, patterns).put("route", routed))));
  }

  private Future<List<String>> visiblePatterns(Principal principal, JsonArray matched) {
    List<String> patterns = matched.stream().map(String.class::cast).toList();
    if (principal.hasGlobal(Role.VIEWER)) {
      return Future.succeededFuture(patterns);
    }
    return records.getAll(patterns.stream().map(RedisKeys::site).toList()).map(sites -> {
      List<String> visible = new ArrayList<>();
      for (int i = 0; i < patterns.size(); i++) {
        String site = sites.get(i);
        if (site != null && principal.mayRead(patterns.get(i), site)) {
          visible.add(patterns.get(i));
        }
      }
      return visible;
    });
  }

  static JsonObject explain(String host, List<String> patterns) {
    JsonObject answer = new JsonObject().put("host", host);
    if (patterns.isEmpty()) {
      return answer.putNull("match").put("beats", new JsonArray()).put("why", "no site pattern matches " + host);
    }
    String winner = patterns.get(0);
    JsonArray beats = new JsonArray();
    for (String loser : patterns.subList(1, patterns.size())) {
      beats.add(describe(loser).put("why", whyBeats(winner, loser)));
    }
    return answer.put("match", describe(winner)).put("beats", beats)
        .put("why", "labels are matched from the right; at each label a literal beats '*', and '*' beats '**'");
  }

  private static JsonObject describe(String pattern) {
    return new JsonObject().put("pattern", pattern).put("kind", kind(pattern));
  }

  /** {@code exact}, {@code *} or {@code **}: the widest wildcard in the pattern. */
  static String kind(String pattern) {
    String[] labels = DomainPattern.parse(pattern).labels();
    String kind = "exact";
    for (String label : labels) {
      if (label.equals(DomainPattern.ANY_LABELS)) {
        return DomainPattern.ANY_LABELS;
      }
      if (label.equals(DomainPattern.ONE_LABEL)) {
        kind = DomainPattern.ONE_LABEL;
      }
    }
    return kind;
  }

  /** The first label from the right where the two patterns differ, and what the winner had there. */
  private static String whyBeats(String winner, String loser) {
    String[] w = DomainPattern.parse(winner).labels();
    String[] l = DomainPattern.parse(loser).labels();
    for (int i = 1; i <= Math.min(w.length, l.length); i++) {
      String wl = w[w.length - i];
      String ll = l[l.length - i];
      if (!wl.equals(ll)) {
        return "label " + i + " from the right: '" + wl + "' beats '" + ll + "'";
      }
    }
    return "'" + winner + "' matches with fewer labels under '**'";
  }
}
