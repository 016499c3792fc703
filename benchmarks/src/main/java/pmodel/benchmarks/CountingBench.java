package pmodel.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import pmodel.api.GenerativeModel;
import pmodel.api.compute.Parallel;
import pmodel.api.data.ColumnRanges;
import pmodel.api.data.Dataset;
import pmodel.api.spi.CountingProvider;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;
import pmodel.api.spi.Statistics;

/**
 * Counting, the work of a counting model's fit: naive Bayes value counts over the 60,000 × 784
 * Fashion-MNIST training images and histogram cell counts over 10,000,000 {@code outfits} rows,
 * through the provider's public {@link Statistics} exactly as {@code fit} runs them (one
 * partition per thread, merged in order). Times are per counted cell (naive Bayes) or row
 * (histogram); the plain nested loop over the same arrays is the baseline. The whole naive
 * Bayes fit (counting and then the model's tables) and the tables alone are timed too. Run with
 * {@code -prof gc}: a partition allocates its count table once, nothing per row.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC"})
public class CountingBench {
  static final int NB_CELLS = BenchData.TRAIN_ROWS * BenchData.PIXELS;
  static final int HIST_ROWS = BenchData.OUTFIT_ROWS;

  /** The Fashion-MNIST training images and the naive Bayes provider. */
  @State(Scope.Benchmark)
  public static class Images {
    Dataset data;
    byte[][] cols;
    CountingProvider provider;
    Parameters params;
    ColumnRanges ranges;
    Statistics counted;

    @Setup
    public void setUp() {
      data = BenchData.fashionTrain();
      cols = BenchData.columns(data);
      provider = BenchData.counting("naive-bayes");
      params = BenchData.params("naive-bayes", Map.of());
      ranges = ColumnRanges.of(data);
      counted = count(provider, params, ranges, data, 1);
      if (data.rows() * data.schema().size() != NB_CELLS) {
        throw new IllegalStateException("expected " + NB_CELLS + " cells");
      }
    }
  }

  /** 10,000,000 outfits rows and the histogram provider (dense: 4032 cells). */
  @State(Scope.Benchmark)
  public static class Outfits {
    Dataset data;
    byte[][] cols;
    int[] k;
    CountingProvider provider;
    Parameters params;
    ColumnRanges ranges;

    @Setup
    public void setUp() {
      data = BenchData.outfits();
      cols = BenchData.columns(data);
      k = BenchData.cardinalities(data);
      provider = BenchData.counting("histogram");
      params = BenchData.params("histogram", Map.of());
      ranges = ColumnRanges.of(data);
    }
  }

  /** What {@code CountingProvider.fit} does with each chunk of data before building a model. */
  static Statistics count(CountingProvider provider, Parameters params, ColumnRanges ranges,
      Dataset data, int threads) {
    return Parallel.reduce(data.rows(), threads, 1 << 12, (from, to) -> {
      Statistics s = provider.newStatistics(data.schema(), params, ranges);
      s.add(data, from, to);
      return s;
    }, (a, b) -> {
      a.merge(b);
      return a;
    });
  }

  @Benchmark
  @OperationsPerInvocation(NB_CELLS)
  public Statistics naiveBayes(Images s, Threads t) {
    return count(s.provider, s.params, s.ranges, s.data, t.threads);
  }

  /** The whole fit: counting, then the model's tables (θ, log θ, one alias table per pixel). */
  @Benchmark
  @OperationsPerInvocation(NB_CELLS)
  public GenerativeModel naiveBayesFit(Images s, Threads t) {
    return s.provider.fit(s.data, s.params, FitContext.of(1, t.threads));
  }

  /** The model's tables from counts alone (ns per model): table construction apart. */
  @Benchmark
  public GenerativeModel naiveBayesTables(Images s) {
    return s.provider.fromStatistics(s.counted, s.params);
  }

  @Benchmark
  @OperationsPerInvocation(NB_CELLS)
  public long[] naiveBayesPlainLoop(Images s) {
    return Baselines.countValues(s.cols, s.data.rows(), BenchData.LEVELS);
  }

  @Benchmark
  @OperationsPerInvocation(HIST_ROWS)
  public Statistics histogram(Outfits s, Threads t) {
    return count(s.provider, s.params, s.ranges, s.data, t.threads);
  }

  @Benchmark
  @OperationsPerInvocation(HIST_ROWS)
  public long[] histogramPlainLoop(Outfits s) {
    return Baselines.countCells(s.cols, s.data.rows(), s.k);
  }
}
