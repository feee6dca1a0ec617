package dev.portico.benchmarks;

import dev.portico.contract.DomainPattern;
import dev.portico.lookup.DomainTree;
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

import java.util.concurrent.TimeUnit;

/**
 * The matcher's worst case (issue 14, item 9): the pattern {@code q.**.a.**.a.**.a.**.a.**.a.**}
 * (past the API's limit of two {@code **}, as if written straight into Redis), and the worst the
 * API accepts, {@code q.**.a.**}, against a name of {@code hostLabels} labels {@code a} that they
 * do not match, so every way of splitting the name over the {@code **} labels is a candidate. Measured for the lookup's tree and for
 * {@link DomainPattern#matches} (what an edge runs over its cached hosts when a wildcard changes).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar MatcherWorstCaseBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MatcherWorstCaseBenchmark {

  /** 122 labels: the name of the report (243 characters); the smaller ones show the growth. */
  @Param({"16", "24", "32", "122"})
  int hostLabels;

  @Param({"q.**.a.**.a.**.a.**.a.**.a.**", "q.**.a.**"})
  String patternText;

  DomainPattern pattern;
  DomainTree<String> tree;
  String host;

  @Setup
  public void build() {
    pattern = DomainPattern.parseUnlimited(patternText);
    tree = new DomainTree<>();
    tree.put(pattern, patternText);
    host = "a.".repeat(hostLabels - 1) + "a";
  }

  @Benchmark
  public Object treeMatch() {
    return tree.match(host);
  }

  @Benchmark
  public boolean patternMatches() {
    return pattern.matches(host);
  }
}
