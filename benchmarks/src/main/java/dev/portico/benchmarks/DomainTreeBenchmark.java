package dev.portico.benchmarks;

import dev.portico.contract.DomainPattern;
import dev.portico.lookup.DomainTree;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Match time of the wildcard tree at 1 M patterns, for hosts served by an exact site, by a
 * {@code *} site, by a {@code **} site several labels deep, and by none; and the time to build
 * the tree. Hosts rotate over 4096 names so that the caches see a realistic spread.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar DomainTreeBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class DomainTreeBenchmark {

  private static final int NAMES = 4096;

  @Param("1000000")
  int patterns;

  List<DomainPattern> population;
  DomainTree<String> tree;
  String[] exact = new String[NAMES];
  String[] oneLabel = new String[NAMES];
  String[] anyLabels = new String[NAMES];
  String[] unknown = new String[NAMES];
  int next;

  @Setup(Level.Trial)
  public void build() {
    population = Patterns.generate(patterns);
    tree = Patterns.tree(population);
    for (int n = 0; n < NAMES; n++) {
      int group = (int) ((n * 2654435761L) % patterns) / 20 * 20;   // 20 sites: *, **, then exact
      oneLabel[n] = "www." + Patterns.site(group);
      anyLabels[n] = "a.b.c." + Patterns.site(group + 1);
      exact[n] = Patterns.site(group + 2);
      unknown[n] = "nosuch" + n + "." + Patterns.zone(group);
    }
  }

  private int index() {
    return next++ & (NAMES - 1);
  }

  @Benchmark
  public Object matchExact() {
    return tree.match(exact[index()]);
  }

  @Benchmark
  public Object matchOneLabelWildcard() {
    return tree.match(oneLabel[index()]);
  }

  @Benchmark
  public Object matchAnyLabelsWildcard() {
    return tree.match(anyLabels[index()]);
  }

  @Benchmark
  public Object matchUnknown() {
    return tree.match(unknown[index()]);
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 3)
  public Object buildTree() {
    return Patterns.tree(population);
  }
}
