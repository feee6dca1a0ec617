package dev.portico.cert.dns;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * Porkbun API v3 as documented (porkbun.com/api/json/v3/documentation): every call is a
 * {@code POST} with {@code apikey} and {@code secretapikey} in its JSON body;
 * {@code /dns/create/{domain}} answers {@code {"status": "SUCCESS", "id"}},
 * {@code /dns/delete/{domain}/{id}} answers {@code {"status": "SUCCESS"}},
 * {@code /dns/retrieve/{domain}/{id}} answers {@code {"status": "SUCCESS", "records": [...]}}
 * (empty when there is no such record); errors are
 * {@code {"status": "ERROR", "message"}} (bad keys: 403 "Invalid API key. (002)").
 */
public final class FakePorkbun extends FakeDnsApi {

  private final String apiKey;
  private final String secretApiKey;
  private final Set<String> domains;

  public FakePorkbun(Vertx vertx, String apiKey, String secretApiKey, Set<String> domains, TxtSink sink) {
    super(vertx, sink);
    this.apiKey = apiKey;
    this.secretApiKey = secretApiKey;
    this.domains = Set.copyOf(domains);
  }

  @Override
  public String endpoint() {
    return "http://127.0.0.1:" + port() + "/api/json/v3";
  }

  @Override
  protected void handle(HttpServerRequest request, JsonObject body) {
    if (request.method() != HttpMethod.POST || body == null) {
      error(request, 400, "All requests must be POST with a JSON body.");
      return;
    }
    if (!apiKey.equals(body.getString("apikey")) || !secretApiKey.equals(body.getString("secretapikey"))) {
      error(request, 403, "Invalid API key. (002)");
      return;
    }
    String[] path = request.path().substring("/api/json/v3/".length()).split("/");
    if (path.length < 3 || !path[0].equals("dns") || !domains.contains(path[2])) {
      error(request, 400, "Invalid domain.");
      return;
    }
    String domain = path[2];
    if (path[1].equals("create") && path.length == 3) {
      String name = body.getString("name", "");
      if (!"TXT".equals(body.getString("type")) || body.getString("content") == null) {
        error(request, 400, "Invalid type or content.");
        return;
      }
      create(name.isEmpty() ? domain : name + "." + domain, body.getString("content")).onSuccess(id ->
          json(request, 200, new JsonObject().put("status", "SUCCESS").put("id", Long.parseLong(id))));
    } else if (path[1].equals("delete") && path.length == 4) {
      delete(path[3]).onSuccess(found -> {
        if (found) {
          json(request, 200, new JsonObject().put("status", "SUCCESS"));
        } else {
          error(request, 400, "Invalid record ID.");
        }
      });
    } else if (path[1].equals("retrieve") && path.length == 4) {
      Held held = held(path[3]);
      JsonArray records = new JsonArray();
      if (held != null) {
        records.add(new JsonObject().put("id", path[3]).put("name", held.name()).put("type", "TXT")
            .put("content", held.value()).put("ttl", "600").put("prio", "0").put("notes", ""));
      }
      json(request, 200, new JsonObject().put("status", "SUCCESS").put("records", records));
    } else {
      error(request, 400, "Invalid command.");
    }
  }

  @Override
  protected void serverError(HttpServerRequest request) {
    error(request, 503, "The service is temporarily unavailable.");
  }

  private static void error(HttpServerRequest request, int status, String message) {
    json(request, status, new JsonObject().put("status", "ERROR").put("message", message));
  }
}
