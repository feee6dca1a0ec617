package dev.portico.cert.dns;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * Cloudflare API v4 as documented (developers.cloudflare.com/api): {@code GET /zones?name=},
 * {@code POST /zones/{zone_id}/dns_records}, {@code DELETE /zones/{zone_id}/dns_records/{id}};
 * {@code Authorization: Bearer <token>}; every answer is
 * {@code {"success", "errors": [{"code", "message"}], "messages", "result"}}; a bad token gets
 * 403 with error code 10000 "Authentication error".
 */
public final class FakeCloudflare extends FakeDnsApi {

  private final String token;
  private final Map<String, String> zoneIds;

  /** @param zoneIds the account's zones: name to zone id */
  public FakeCloudflare(Vertx vertx, String token, Map<String, String> zoneIds, TxtSink sink) {
    super(vertx, sink);
    this.token = token;
    this.zoneIds = Map.copyOf(zoneIds);
  }

  @Override
  public String endpoint() {
    return "http://127.0.0.1:" + port() + "/client/v4";
  }

  @Override
  protected void handle(HttpServerRequest request, JsonObject body) {
    if (!token.equals(bearer(request))) {
      answer(request, 403, null, error(10000, "Authentication error"));
      return;
    }
    String[] path = request.path().substring("/client/v4/".length()).split("/");
    if (request.method() == HttpMethod.GET && path.length == 1 && path[0].equals("zones")) {
      JsonArray zones = new JsonArray();
      String name = request.getParam("name");
      if (zoneIds.containsKey(name)) {
        zones.add(new JsonObject().put("id", zoneIds.get(name)).put("name", name).put("status", "active"));
      }
      answer(request, 200, zones, new JsonArray());
    } else if (path.length >= 3 && path[0].equals("zones") && path[2].equals("dns_records")
        && zoneIds.containsValue(path[1])) {
      records(request, path, body);
    } else {
      answer(request, 404, null, error(7003, "Could not route to " + request.path() + ", perhaps your object identifier is invalid?"));
    }
  }

  private void records(HttpServerRequest request, String[] path, JsonObject body) {
    if (request.method() == HttpMethod.POST && path.length == 3) {
      if (body == null || !"TXT".equals(body.getString("type")) || body.getString("name") == null
          || body.getString("content") == null) {
        answer(request, 400, null, error(9005, "Content for TXT record is invalid."));
        return;
      }
      create(body.getString("name"), body.getString("content")).onSuccess(id -> answer(request, 200,
          new JsonObject().put("id", id).put("type", "TXT").put("name", body.getString("name"))
              .put("content", body.getString("content")).put("ttl", body.getInteger("ttl", 1)), new JsonArray()));
    } else if (request.method() == HttpMethod.DELETE && path.length == 4) {
      delete(path[3]).onSuccess(found -> {
        if (found) {
          answer(request, 200, new JsonObject().put("id", path[3]), new JsonArray());
        } else {
          answer(request, 404, null, error(81044, "Record does not exist."));
        }
      });
    } else {
      answer(request, 405, null, error(10405, "Method not allowed"));
    }
  }

  @Override
  protected void serverError(HttpServerRequest request) {
    answer(request, 500, null, error(10001, "Internal server error"));
  }

  private static JsonArray error(int code, String message) {
    return new JsonArray().add(new JsonObject().put("code", code).put("message", message));
  }

  private static void answer(HttpServerRequest request, int status, Object result, JsonArray errors) {
    json(request, status, new JsonObject().put("success", errors.isEmpty()).put("errors", errors)
        .put("messages", new JsonArray()).put("result", result));
  }
}
