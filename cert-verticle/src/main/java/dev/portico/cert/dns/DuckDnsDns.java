package dev.portico.cert.dns;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

/**
 * DuckDNS's update URL: {@code GET /update?domains=<name>&token=<token>&txt=<value>&verbose=true}
 * sets the one TXT value of {@code <name>.duckdns.org} (served for every name under it), and
 * {@code &clear=true} removes it; the body starts with {@code OK} or {@code KO}. The token travels
 * in the URL, so no message here ever holds the URL.
 */
final class DuckDnsDns implements DnsProvider {

  static final String DEFAULT_ENDPOINT = "https://www.duckdns.org";
  private static final String SUFFIX = ".duckdns.org";

  private final ProviderApi api;
  private final String token;

  DuckDnsDns(WebClient client, String endpoint, JsonObject credentials) {
    this.api = new ProviderApi(client, "duckdns", ProviderApi.baseUrl(endpoint, DEFAULT_ENDPOINT), credentials,
        body -> null);
    this.token = credentials.getString("token");
  }

  @Override
  public boolean holdsSeveralValues() {
    return false;
  }

  @Override
  public Future<TxtRecord> addTxt(String zone, String recordName, String value) {
    return update("setting the TXT value of " + zone, zone, value, false)
        .map(v -> new TxtRecord(zone, recordName, value, null));
  }

  @Override
  public Future<Void> removeTxt(TxtRecord record) {
    return update("clearing the TXT value of " + record.zone(), record.zone(), "", true);
  }

  private Future<Void> update(String operation, String zone, String value, boolean clear) {
    if (!zone.endsWith(SUFFIX) || zone.indexOf('.') != zone.length() - SUFFIX.length()) {
      return Future.failedFuture(new DnsProviderException("duckdns: " + zone
          + " is not a DuckDNS domain (<name>.duckdns.org)"));
    }
    var request = api.request(HttpMethod.GET, "/update")
        .addQueryParam("domains", zone.substring(0, zone.length() - SUFFIX.length()))
        .addQueryParam("token", token).addQueryParam("txt", value).addQueryParam("verbose", "true");
    if (clear) {
      request.addQueryParam("clear", "true");
    }
    return api.send(operation, request, null, false).compose(response -> {
      String body = response.bodyAsString();
      return body != null && body.startsWith("OK") ? Future.<Void>succeededFuture()
          : Future.failedFuture(api.refused(operation, "DuckDNS answered KO (wrong token or domain)"));
    });
  }
}
