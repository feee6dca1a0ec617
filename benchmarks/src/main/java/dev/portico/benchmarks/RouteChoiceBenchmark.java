package dev.portico.benchmarks;

import dev.portico.contract.RequestPath;
import dev.portico.contract.Site;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What choosing a route costs the edge per request: parsing the target and choosing the route,
 * for a site without routes and for one with 50 (38 prefixes two levels deep, 10 exact paths, 2
 * anchored regexes). The difference between the two is the price of routes.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar RouteChoiceBenchmark -bm sample</pre>
 * (on a busy machine the sample mode's median shows the cost of a call, not other jobs' time slices)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouteChoiceBenchmark {

  /** A prefix hit; a file under a prefix; upper case (the lenient check runs); a miss that runs both regexes. */
  @Param({"/api/v1/users/42?x=1", "/static/app.3f2a.js", "/Shop/Cart", "/nothing/here/at/all"})
  String target;

  private Site plain;
  private Site routed;
  private final Function<String, String> headers = Map.of("x-beta", "1")::get;

  @Setup
  public void setUp() {
    plain = Site.fromJson("{\"targets\":[\"10.0.0.5:8080\"]}");
    JsonArray routes = new JsonArray();
    String[] areas = {"api", "static", "shop", "admin", "docs", "media", "auth", "blog", "help", "cdn"};
    for (String area : areas) {
      routes.add(new JsonObject().put("prefix", "/" + area + "/").put("targets", new JsonArray().add("10.0.0.7:8080")));
      routes.add(new JsonObject().put("prefix", "/" + area + "/v1/"));
      routes.add(new JsonObject().put("prefix", "/" + area + "/v2/").put("methods", new JsonArray().add("GET")));
      if (routes.size() < 38) {
        routes.add(new JsonObject().put("prefix", "/" + area + "/internal"));
      }
      routes.add(new JsonObject().put("exact", "/" + area + "/healthz").put("respond", new JsonObject().put("body", "ok")));
    }
    while (routes.size() < 48) {
      routes.add(new JsonObject().put("prefix", "/extra" + routes.size() + "/"));
    }
    routes.add(new JsonObject().put("regex", "^/v[0-9]+/").put("header", new JsonObject().put("name", "X-Beta").put("value", "1")));
    routes.add(new JsonObject().put("regex", "^/files/[^/]+\\.pdf$"));
    routed = Site.fromJson(new JsonObject().put("targets", new JsonArray().add("10.0.0.5:8080")).put("routes", routes));
    if (routed.routes().size() != 50) {
      throw new IllegalStateException("expected 50 routes, got " + routed.routes().size());
    }
  }

  @Benchmark
  public int withoutRoutes() {
    return plain.routes().choose(RequestPath.parse(target), "GET", headers);
  }

  @Benchmark
  public int withFiftyRoutes() {
    return routed.routes().choose(RequestPath.parse(target), "GET", headers);
  }
}
