package dev.portico.cert.dns;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * DigitalOcean API v2 as documented (docs.digitalocean.com/reference/api): {@code POST
 * /v2/domains/{domain_name}/records} answers 201 {@code {"domain_record": {...}}},
 * {@code DELETE /v2/domains/{domain_name}/records/{domain_record_id}} answers 204;
 * {@code Authorization: Bearer <token>}; errors are {@code {"id", "message"}} (401
 * {@code unauthorized}, 404 {@code not_found}, 500 {@code server_error}).
 */
public final class FakeDigitalOcean extends FakeDnsApi {

  private final String token;
  private final Set<String> domains;

  public FakeDigitalOcean(Vertx vertx, String token, Set<String> domains, TxtSink sink) {
    super(vertx, sink);
    this.token = token;
    this.domains = Set.copyOf(domains);
  }

  @Override
  public String endpoint() {
    return "http://127.0.0.1:" + port() + "/v2";
  }

  @Override
  protected void handle(HttpServerRequest request, JsonObject body) {
    if (!token.equals(bearer(request))) {
      error(request, 401, "unauthorized", "Unable to authenticate you");
      return;
    }
    String[] path = request.path().substring("/v2/".length()).split("/");
    if (path.length < 3 || !path[0].equals("domains") || !path[2].equals("records") || !domains.contains(path[1])) {
      error(request, 404, "not_found", "The resource you were accessing could not be found.");
      return;
    }
    String domain = path[1];
    if (request.method() == HttpMethod.POST && path.length == 3) {
      if (body == null || !"TXT".equals(body.getString("type")) || body.getString("name") == null
          || body.getString("data") == null) {
        error(request, 422, "unprocessable_entity", "Data needs to be a string.");
        return;
      }
      String name = body.getString("name");
      create(name.equals("@") ? domain : name + "." + domain, body.getString("data")).onSuccess(id ->
          json(request, 201, new JsonObject().put("domain_record", new JsonObject().put("id", Long.parseLong(id))
              .put("type", "TXT").put("name", name).put("data", body.getString("data")).putNull("priority")
              .putNull("port").put("ttl", body.getInteger("ttl", 1800)).putNull("weight").putNull("flags")
              .putNull("tag"))));
    } else if (request.method() == HttpMethod.DELETE && path.length == 4) {
      delete(path[3]).onSuccess(found -> {
        if (found) {
          request.response().setStatusCode(204).end();
        } else {
          error(request, 404, "not_found", "The resource you were accessing could not be found.");
        }
      });
    } else {
      error(request, 405, "method_not_allowed", "Method not allowed");
    }
  }

  @Override
  protected void serverError(HttpServerRequest request) {
    error(request, 500, "server_error", "Server was unable to give you a response.");
  }

  private static void error(HttpServerRequest request, int status, String id, String message) {
    json(request, status, new JsonObject().put("id", id).put("message", message));
  }
}
