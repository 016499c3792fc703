package pmodel.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.AliasMethodDiscreteSampler;
import org.apache.commons.rng.sampling.distribution.GuideTableDiscreteSampler;
import org.apache.commons.rng.sampling.distribution.SharedStateDiscreteSampler;
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
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Dataset;

/**
 * Histogram sampling. Dense: 10,000,000 rows from the 4032-cell {@code outfits} histogram fitted
 * (α = 1) on 10,000,000 rows, timed per row (a row is 5 values); the baselines draw cells from
 * the same θ with Commons RNG's alias-method and guide-table samplers and with inverse-CDF binary
 * search, in the same blocks and streams, and write each cell's 5 values the same way. Sparse
 * smoothed: the same mixture (empirical + uniform) from a sparse table, on {@code outfits}
 * (50,000 training rows: the uniform part has weight 4032/54,032) against the dense table of the
 * same model, and on Fashion-MNIST (256^784 cells: the uniform part has weight ≈ 1) against a
 * plain loop of uniform bytes, timed per value.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC"})
public class HistogramSamplingBench {
  static final int ROWS = 10_000_000;
  static final int SPARSE_ROWS = 1_000_000;
  static final int SPARSE_TRAIN = 50_000;
  static final int IMAGES = 10_000;
  static final int IMAGE_VALUES = IMAGES * BenchData.PIXELS;
  static final long SEED = 42;

  /** The dense outfits histogram and, for the baselines, its θ. */
  @State(Scope.Benchmark)
  public static class Dense {
    GenerativeModel model;
    SharedStateDiscreteSampler alias;
    SharedStateDiscreteSampler guide;
    double[] cdf;
    byte[] codes;
    int features;

    @Setup
    public void setUp() {
      Dataset data = BenchData.outfits();
      model = BenchData.fit("histogram", data, Map.of("alpha", "1", "storage", "dense"));
      int[] k = BenchData.cardinalities(data);
      long[] counts = Baselines.countCells(BenchData.columns(data), data.rows(), k);
      double[] theta = new double[counts.length];
      for (int c = 0; c < counts.length; c++) {
        theta[c] = (counts[c] + 1.0) / (data.rows() + (double) counts.length);
      }
      alias = AliasMethodDiscreteSampler.of(RandomStreams.create(0, 0), theta);
      guide = GuideTableDiscreteSampler.of(RandomStreams.create(0, 0), theta);
      cdf = Baselines.cdf(theta);
      codes = Baselines.cellCodes(k);
      features = k.length;
    }
  }

  /** The outfits histogram fitted on 50,000 rows, stored sparse and dense. */
  @State(Scope.Benchmark)
  public static class SparseOutfits {
    GenerativeModel sparse;
    GenerativeModel dense;

    @Setup
    public void setUp() {
      Dataset data = BenchData.outfits().slice(0, SPARSE_TRAIN);
      sparse = BenchData.fit("histogram", data, Map.of("alpha", "1", "storage", "sparse"));
      dense = BenchData.fit("histogram", data, Map.of("alpha", "1", "storage", "dense"));
    }
  }

  /** The smoothed histogram of the Fashion-MNIST training images (necessarily sparse). */
  @State(Scope.Benchmark)
  public static class SparseImages {
    GenerativeModel model;

    @Setup
    public void setUp() {
      model = BenchData.fit("histogram", BenchData.fashionTrain(), Map.of("alpha", "1"));
    }
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public Dataset pmodel(Dense m, Threads t) {
    return m.model.sample(ROWS, SEED, t.threads);
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public byte[][] commonsAlias(Dense m) {
    return Baselines.sampleCells(m.features, m.codes, ROWS, SEED,
        rng -> m.alias.withUniformRandomProvider(rng)::sample);
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public byte[][] commonsGuideTable(Dense m) {
    return Baselines.sampleCells(m.features, m.codes, ROWS, SEED,
        rng -> m.guide.withUniformRandomProvider(rng)::sample);
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public byte[][] inverseCdf(Dense m) {
    double[] cdf = m.cdf;
    return Baselines.sampleCells(m.features, m.codes, ROWS, SEED,
        rng -> () -> Baselines.inverseCdf(cdf, rng.nextDouble()));
  }

  @Benchmark
  @OperationsPerInvocation(SPARSE_ROWS)
  public Dataset sparseOutfits(SparseOutfits m, Threads t) {
    return m.sparse.sample(SPARSE_ROWS, SEED, t.threads);
  }

  @Benchmark
  @OperationsPerInvocation(SPARSE_ROWS)
  public Dataset sparseOutfitsDenseTable(SparseOutfits m, Threads t) {
    return m.dense.sample(SPARSE_ROWS, SEED, t.threads);
  }

  @Benchmark
  @OperationsPerInvocation(IMAGE_VALUES)
  public Dataset sparseImages(SparseImages m, Threads t) {
    return m.model.sample(IMAGES, SEED, t.threads);
  }

  @Benchmark
  @OperationsPerInvocation(IMAGE_VALUES)
  public byte[][] uniformBytesPlainLoop() {
    return Baselines.sampleIndependent(BenchData.PIXELS, IMAGES, SEED,
        HistogramSamplingBench::fillUniform);
  }

  private static void fillUniform(int feature, UniformRandomProvider rng, byte[] out, int from,
      int to) {
    for (int i = from; i < to; i++) {
      out[i] = (byte) rng.nextInt(256);
    }
  }
}
