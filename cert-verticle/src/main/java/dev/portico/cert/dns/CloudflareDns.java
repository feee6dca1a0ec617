package dev.portico.cert.dns;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Cloudflare's API v4 with an API token (Bearer): the zone's id from
 * {@code GET /zones?name=<zone>}, then {@code POST /zones/{zone_id}/dns_records} and
 * {@code DELETE /zones/{zone_id}/dns_records/{id}}. Answers are
 * {@code {"success", "errors": [{"code", "message"}], "messages", "result"}}.
 */
final class CloudflareDns implements DnsProvider {

  static final String DEFAULT_ENDPOINT = "https://api.cloudflare.com/client/v4";

  private final ProviderApi api;
  private final String token;
  private final Map<String, String> zoneIds = new ConcurrentHashMap<>();

  CloudflareDns(WebClient client, String endpoint, JsonObject credentials) {
    this.api = new ProviderApi(client, "cloudflare", ProviderApi.baseUrl(endpoint, DEFAULT_ENDPOINT), credentials,
        CloudflareDns::errors);
    this.token = credentials.getString("apiToken");
  }

  @Override
  public Future<TxtRecord> addTxt(String zone, String recordName, String value) {
    JsonObject record = new JsonObject().put("type", "TXT").put("name", recordName).put("content", value)
        .put("ttl", 120);
    return zoneId(zone).compose(zoneId -> api.send("creating " + recordName,
            api.request(HttpMethod.POST, "/zones/" + zoneId + "/dns_records").bearerTokenAuthentication(token),
            record, false)
        .map(response -> {
          JsonObject result = succeeded("creating " + recordName, response).getJsonObject("result");
          if (result == null || result.getString("id") == null) {
            throw api.refused("creating " + recordName, "no record id in the answer");
          }
          return new TxtRecord(zone, recordName, value, result.getString("id"));
        }));
  }

  @Override
  public Future<Void> removeTxt(TxtRecord record) {
    return zoneId(record.zone()).compose(zoneId -> api.send("deleting " + record.name(),
        api.request(HttpMethod.DELETE, "/zones/" + zoneId + "/dns_records/" + record.id())
            .bearerTokenAuthentication(token), null, true)
        .map(response -> response.statusCode() == 404 ? null : succeeded("deleting " + record.name(), response)))
        .mapEmpty();
  }

  private Future<String> zoneId(String zone) {
    String known = zoneIds.get(zone);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return api.send("finding zone " + zone, api.request(HttpMethod.GET, "/zones").addQueryParam("name", zone)
            .bearerTokenAuthentication(token), null, false)
        .map(response -> {
          JsonArray zones = succeeded("finding zone " + zone, response).getJsonArray("result", new JsonArray());
          if (zones.isEmpty()) {
            throw api.refused("finding zone " + zone, "the token sees no zone named " + zone);
          }
          String id = zones.getJsonObject(0).getString("id");
          zoneIds.put(zone, id);
          return id;
        });
  }

  /** The answer's body; a refusal when it says {@code "success": false}, even with a 2xx status. */
  private JsonObject succeeded(String operation, HttpResponse<Buffer> response) {
    JsonObject body = api.json(operation, response);
    if (Boolean.FALSE.equals(body.getValue("success"))) {
      throw api.refused(operation, String.valueOf(errors(body)));
    }
    return body;
  }

  private static String errors(JsonObject body) {
    JsonArray errors = body.getJsonArray("errors");
    if (errors == null || errors.isEmpty()) {
      return null;
    }
    return errors.stream().map(JsonObject.class::cast)
        .map(error -> error.getString("message") + " (code " + error.getValue("code") + ")")
        .collect(Collectors.joining("; "));
  }
}
