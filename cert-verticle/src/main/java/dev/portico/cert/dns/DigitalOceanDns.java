package dev.portico.cert.dns;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

/**
 * DigitalOcean's API v2 with a personal access token (Bearer):
 * {@code POST /domains/{domain}/records} with {@code {"type", "name", "data", "ttl"}} (the name
 * relative to the domain, {@code @} for the apex) answers {@code 201 {"domain_record": {"id"}}};
 * {@code DELETE /domains/{domain}/records/{id}} answers 204. Errors are {@code {"id", "message"}}.
 */
final class DigitalOceanDns implements DnsProvider {

  static final String DEFAULT_ENDPOINT = "https://api.digitalocean.com/v2";
  /** DigitalOcean's smallest TTL. */
  private static final int TTL = 30;

  private final ProviderApi api;
  private final String token;

  DigitalOceanDns(WebClient client, String endpoint, JsonObject credentials) {
    this.api = new ProviderApi(client, "digitalocean", ProviderApi.baseUrl(endpoint, DEFAULT_ENDPOINT), credentials,
        body -> body.getString("message") == null ? null : body.getString("message") + " (" + body.getString("id") + ")");
    this.token = credentials.getString("apiToken");
  }

  @Override
  public Future<TxtRecord> addTxt(String zone, String recordName, String value) {
    String name = ProviderApi.relative(recordName, zone);
    JsonObject record = new JsonObject().put("type", "TXT").put("name", name.isEmpty() ? "@" : name)
        .put("data", value).put("ttl", TTL);
    return api.send("creating " + recordName,
            api.request(HttpMethod.POST, "/domains/" + zone + "/records").bearerTokenAuthentication(token), record, false)
        .map(response -> {
          JsonObject created = api.json("creating " + recordName, response).getJsonObject("domain_record");
          if (created == null || created.getValue("id") == null) {
            throw api.refused("creating " + recordName, "no record id in the answer");
          }
          return new TxtRecord(zone, recordName, value, String.valueOf(created.getValue("id")));
        });
  }

  @Override
  public Future<Void> removeTxt(TxtRecord record) {
    return api.send("deleting " + record.name(),
        api.request(HttpMethod.DELETE, "/domains/" + record.zone() + "/records/" + record.id())
            .bearerTokenAuthentication(token), null, true).mapEmpty();
  }
}
