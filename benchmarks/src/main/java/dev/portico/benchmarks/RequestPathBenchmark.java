package dev.portico.benchmarks;

import dev.portico.contract.RequestPath;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What the edge pays per request for its request target: parse it and take the forwarded
 * target, for typical targets of a site without a path policy.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar RequestPathBenchmark -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestPathBenchmark {

  @Param({"/", "/api/v1/users/42?x=1", "/static/app.3f2a.js"})
  String target;

  @Benchmark
  public String parseAndForward() {
    return RequestPath.parse(target).target();
  }
}
