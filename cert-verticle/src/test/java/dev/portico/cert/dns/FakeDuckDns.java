package dev.portico.cert.dns;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * DuckDNS's update URL as documented (duckdns.org/spec.jsp):
 * {@code GET /update?domains=<names>&token=<token>&txt=<value>[&clear=true][&verbose=true]}
 * answers {@code 200} with {@code OK} (verbose: {@code OK\n<txt>\nUPDATED}) or {@code KO} (bad
 * token or domain). A domain holds one TXT value, which DuckDNS serves for every name under it;
 * the sink is given the one name a DNS-01 check asks for, {@code _acme-challenge.<name>.duckdns.org},
 * and those of the subdomains a test names.
 */
public final class FakeDuckDns extends FakeDnsApi {

  private final String token;
  private final Set<String> domains;
  private final List<String> subdomains = new CopyOnWriteArrayList<>();
  private final AtomicInteger overwrites = new AtomicInteger();

  /** @param domains the account's names, without {@code .duckdns.org} */
  public FakeDuckDns(Vertx vertx, String token, Set<String> domains, TxtSink sink) {
    super(vertx, sink);
    this.token = token;
    this.domains = Set.copyOf(domains);
  }

  /**
   * DuckDNS serves a domain's TXT value for every name under it; the sink is given it for
   * {@code _acme-challenge.<subdomain>.<name>.duckdns.org} too.
   */
  public void alsoServedUnder(String subdomain) {
    subdomains.add(subdomain);
  }

  /** How many updates replaced a value nobody had cleared (two users of the one value at once). */
  public int overwrites() {
    return overwrites.get();
  }

  @Override
  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  protected void handle(HttpServerRequest request, JsonObject body) {
    String domain = request.getParam("domains");
    String txt = request.getParam("txt");
    if (request.method() != HttpMethod.GET || !request.path().equals("/update") || !token.equals(request.getParam("token"))
        || !domains.contains(domain) || txt == null) {
      request.response().end("KO");
      return;
    }
    String name = "_acme-challenge." + domain + ".duckdns.org";
    String previous = idOf(name);
    String previousValue = previous == null ? null : txt().get(name).get(0);
    boolean clear = "true".equals(request.getParam("clear"));
    if (previous != null && !clear) {
      overwrites.incrementAndGet();
    }
    Future<Boolean> cleared = previous == null ? Future.succeededFuture(false) : Future.join(
        subdomains.stream().map(sub -> sink().remove("_acme-challenge." + sub + "." + domain + ".duckdns.org",
            previousValue)).toList()).compose(v -> delete(previous));
    if (clear) {
      cleared.onSuccess(v -> request.response().end("true".equals(request.getParam("verbose")) ? "OK\n\nCLEARED" : "OK"));
    } else {
      cleared.compose(v -> create(name, txt))
          .compose(id -> Future.join(subdomains.stream().map(sub -> sink().add("_acme-challenge." + sub + "."
              + domain + ".duckdns.org", txt)).toList()))
          .onSuccess(id -> request.response().end("true".equals(request.getParam("verbose"))
              ? "OK\n" + txt + "\nUPDATED" : "OK"));
    }
  }

  @Override
  protected void serverError(HttpServerRequest request) {
    request.response().setStatusCode(502).end("<html><body><h1>502 Bad Gateway</h1></body></html>");
  }
}
