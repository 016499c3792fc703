package pmodel.benchmarks;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The number of worker threads pmodel's hot paths run on: 1, and both cores of the machine. */
@State(Scope.Benchmark)
public class Threads {
  @Param({"1", "2"})
  public int threads;
}
