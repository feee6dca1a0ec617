package dev.portico.edge.policy;

import dev.portico.contract.RequestPath;
import dev.portico.contract.Site;
import dev.portico.contract.SitePolicies;
import dev.portico.edge.pipeline.ClientRequest;
import dev.portico.edge.pipeline.FilterContext;
import dev.portico.edge.pipeline.SiteInfo;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/** Requests and sites for filter tests: a site's policies parsed from its JSON, as the edge does. */
final class Requests {

  static final String SITE = "app.example.test";

  private final MultiMap headers = HttpHeaders.headers();
  private HttpMethod method = HttpMethod.GET;
  private String path = "/";
  private boolean secure;
  private String peer = "192.0.2.10";
  private SitePolicies policies = SitePolicies.NONE;

  static Requests get(String path) {
    Requests requests = new Requests();
    requests.path = path;
    return requests;
  }

  /** The policies of a site with these fields (and one target). */
  static SitePolicies policies(JsonObject fields) {
    return Site.fromJson(fields.copy().put("targets", new io.vertx.core.json.JsonArray().add("127.0.0.1:1"))).policies();
  }

  Requests header(String name, String value) {
    headers.add(name, value);
    return this;
  }

  Requests method(HttpMethod method) {
    this.method = method;
    return this;
  }

  Requests secure() {
    this.secure = true;
    return this;
  }

  Requests from(String peer) {
    this.peer = peer;
    return this;
  }

  /** The site's trusted proxies (the rest of the site is the filter's own policy). */
  Requests site(SitePolicies policies) {
    this.policies = policies;
    return this;
  }

  FilterContext context() {
    return new FilterContext(new ClientRequest(method, SITE, RequestPath.parse(path), headers, secure, peer, SITE),
        new SiteInfo(SITE, false, policies.trustedProxies(), null));
  }

  /** A context whose response head is {@code status} with {@code headers}. */
  FilterContext responding(int status, MultiMap responseHeaders) {
    FilterContext context = context();
    context.respond(status, responseHeaders);
    return context;
  }
}
