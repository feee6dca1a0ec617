package dev.portico.cert.dns;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

/**
 * Porkbun's API v3, the keys in every JSON body ({@code apikey}, {@code secretapikey}):
 * {@code POST /dns/create/{domain}} with {@code {"name", "type", "content", "ttl"}} (the name
 * relative to the domain, empty for the apex) answers {@code {"status": "SUCCESS", "id"}};
 * {@code POST /dns/delete/{domain}/{id}} answers {@code {"status": "SUCCESS"}};
 * {@code POST /dns/retrieve/{domain}/{id}} answers {@code {"status": "SUCCESS", "records": [...]}}.
 * Errors are {@code {"status": "ERROR", "message"}}.
 */
final class PorkbunDns implements DnsProvider {

  static final String DEFAULT_ENDPOINT = "https://api.porkbun.com/api/json/v3";
  /** Porkbun's smallest TTL. */
  private static final String TTL = "600";

  private final ProviderApi api;
  private final String apiKey;
  private final String secretApiKey;

  PorkbunDns(WebClient client, String endpoint, JsonObject credentials) {
    this.api = new ProviderApi(client, "porkbun", ProviderApi.baseUrl(endpoint, DEFAULT_ENDPOINT), credentials,
        body -> body.getString("message"));
    this.apiKey = credentials.getString("apiKey");
    this.secretApiKey = credentials.getString("secretApiKey");
  }

  @Override
  public Future<TxtRecord> addTxt(String zone, String recordName, String value) {
    String operation = "creating " + recordName;
    JsonObject body = keys().put("name", ProviderApi.relative(recordName, zone)).put("type", "TXT")
        .put("content", value).put("ttl", TTL);
    return api.send(operation, api.request(HttpMethod.POST, "/dns/create/" + zone), body, false)
        .map(response -> {
          JsonObject answer = succeeded(operation, api.json(operation, response));
          if (answer.getValue("id") == null) {
            throw api.refused(operation, "no record id in the answer");
          }
          return new TxtRecord(zone, recordName, value, String.valueOf(answer.getValue("id")));
        });
  }

  /**
   * Deletes the record; when Porkbun refuses, asks whether the record is still there, since
   * deleting one that is gone is refused too (and a gone record is what removing wants).
   */
  @Override
  public Future<Void> removeTxt(TxtRecord record) {
    String operation = "deleting " + record.name();
    return call(operation, "/dns/delete/" + record.zone() + "/" + record.id()).<Void>mapEmpty()
        .recover(refusal -> call("looking for " + record.name(), "/dns/retrieve/" + record.zone() + "/" + record.id())
            .compose(answer -> {
              JsonArray records = answer.getJsonArray("records");
              return records != null && records.isEmpty() ? Future.<Void>succeededFuture()
                  : Future.<Void>failedFuture(refusal);
            }, lookupFailed -> Future.failedFuture(refusal)));
  }

  /** A POST with the keys to {@code path}; its answer when its status is SUCCESS. */
  private Future<JsonObject> call(String operation, String path) {
    return api.send(operation, api.request(HttpMethod.POST, path), keys(), false)
        .map(response -> succeeded(operation, api.json(operation, response)));
  }

  private JsonObject keys() {
    return new JsonObject().put("secretapikey", secretApiKey).put("apikey", apiKey);
  }

  private JsonObject succeeded(String operation, JsonObject answer) {
    if (!"SUCCESS".equals(answer.getString("status"))) {
      throw api.refused(operation, String.valueOf(answer.getString("message")));
    }
    return answer;
  }
}
