package dev.portico.admin;

import dev.portico.admin.Api.Reply;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/sites}: creates or replaces up to {@link #MAX_SITES} sites in one request.
 * Each item goes through exactly what {@code PUT /api/v1/sites/{pattern}} does — schema, site
 * validation, ownership and claims, the atomic write with its indexes, change notification and
 * audit entry — and gets its own outcome; one bad item does not stop the others. A few items are
 * written at a time, so an import costs round trips in parallel rather than one after another.
 */
final class SiteImportApi {

  static final String PATH = "/api/v1/sites";
  static final int MAX_SITES = 1000;
  /** Room for {@link #MAX_SITES} sites of a few hundred bytes each. */
  static final int MAX_BODY_BYTES = 1024 * 1024;
  /** Items in flight at once: enough to keep Redis busy, few enough not to crowd out other requests. */
  private static final int IN_FLIGHT = 16;

  private static final Logger LOG = LoggerFactory.getLogger(SiteImportApi.class);

  private final SitesApi sites;
  private final RequestBodies bodies;

  SiteImportApi(SitesApi sites, RequestBodies bodies) {
    this.sites = sites;
    this.bodies = bodies;
  }

  void mount(Router router) {
    router.post(PATH).handler(Api.handle(this::importSites));
  }

  private Future<Reply> importSites(RoutingContext context) {
    Principal principal = Api.principal(context);
    principal.requireWrite();
    JsonArray items = bodies.parse(context, "SiteImport").getJsonArray("sites");
    JsonArray results = new JsonArray();
    for (int i = 0; i < items.size(); i++) {
      results.addNull();
    }
    Promise<Reply> done = Promise.promise();
    Progress progress = new Progress(principal, items, results, done);
    for (int i = 0; i < IN_FLIGHT; i++) {
      progress.startNext();
    }
    if (items.isEmpty()) {
      done.complete(progress.reply());
    }
    return done.future();
  }

  /** One import's items: the next to start, how many are finished, each one's result. */
  private final class Progress {
    private final Principal principal;
    private final JsonArray items;
    private final JsonArray results;
    private final Promise<Reply> done;
    private int next;
    private int finished;
    private int failed;

    Progress(Principal principal, JsonArray items, JsonArray results, Promise<Reply> done) {
      this.principal = principal;
      this.items = items;
      this.results = results;
      this.done = done;
    }

    /**
     * Starts items until one is in flight; its outcome starts the next from its own callback.
     * Items that finish at once (a bad pattern) are recorded in this loop, so neither the stack
     * nor a chain of futures grows with the items.
     */
    void startNext() {
      while (next < items.size()) {
        int index = next++;
        JsonObject item = items.getJsonObject(index);
        Future<Reply> written;
        try {
          String pattern = SitesApi.canonicalPattern(item.getString("pattern"));
          written = sites.put(principal, pattern, bodies.validate(item.getJsonObject("site"), "Site"));
        } catch (RuntimeException e) {
          written = Future.failedFuture(e);
        }
        if (!written.isComplete()) {
          written.onComplete(ar -> {
            record(index, ar.succeeded() ? ar.result() : null, ar.cause());
            startNext();
          });
          return;
        }
        record(index, written.result(), written.cause());
      }
    }

    private void record(int index, Reply reply, Throwable failure) {
      JsonObject result = new JsonObject().put("pattern", items.getJsonObject(index).getString("pattern"));
      if (failure == null) {
        result.put("status", reply.status());
      } else {
        failed++;
        ApiError error = failure instanceof ApiError api ? api
            : ApiError.unavailable("the site could not be written: " + failure.getMessage());
        result.put("status", error.status()).mergeIn(error.body());
      }
      results.set(index, result);
      if (++finished == items.size()) {
        done.complete(reply());
      }
    }

    Reply reply() {
      if (failed > 0) {
        LOG.info("Site import by '{}': {} of {} sites not written", principal.username(), failed, items.size());
      }
      return new Reply(200, new JsonObject().put("written", items.size() - failed).put("failed", failed)
          .put("results", results));
    }
  }
}
