package pmodel.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * Naive Bayes sampling: 100,000 images of 784 pixels from the model fitted (α = 1) on the
 * Fashion-MNIST training images, timed per sampled value. Baselines draw the same values from
 * the same θ in the same blocks with the same random streams: Commons RNG's alias-method and
 * guide-table samplers (one per pixel, sharing their tables) and inverse-CDF binary search.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC"})
public class NaiveBayesSamplingBench {
  static final int IMAGES = 100_000;
  static final int VALUES = IMAGES * BenchData.PIXELS;
  static final long SEED = 42;

  /** The fitted model and, for the baselines, its θ as Commons samplers and CDFs. */
  @State(Scope.Benchmark)
  public static class Model {
    GenerativeModel model;
    SharedStateDiscreteSampler[] alias;
    SharedStateDiscreteSampler[] guide;
    double[][] cdf;

    @Setup
    public void setUp() {
      Dataset train = BenchData.fashionTrain();
      model = BenchData.fit("naive-bayes", train, Map.of("alpha", "1"));
      int k = BenchData.LEVELS;
      long[] counts = Baselines.countValues(BenchData.columns(train), train.rows(), k);
      int d = BenchData.PIXELS;
      alias = new SharedStateDiscreteSampler[d];
      guide = new SharedStateDiscreteSampler[d];
      cdf = new double[d][];
      for (int f = 0; f < d; f++) {
        double[] theta = new double[k];
        for (int v = 0; v < k; v++) {
          theta[v] = (counts[f * k + v] + 1.0) / (train.rows() + k);
        }
        alias[f] = AliasMethodDiscreteSampler.of(RandomStreams.create(0, f), theta);
        guide[f] = GuideTableDiscreteSampler.of(RandomStreams.create(0, f), theta);
        cdf[f] = Baselines.cdf(theta);
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(VALUES)
  public Dataset pmodel(Model m, Threads t) {
    return m.model.sample(IMAGES, SEED, t.threads);
  }

  @Benchmark
  @OperationsPerInvocation(VALUES)
  public byte[][] commonsAlias(Model m) {
    return Baselines.sampleIndependent(BenchData.PIXELS, IMAGES, SEED,
        (f, rng, out, from, to) -> Baselines.fillCommons(m.alias[f], rng, out, from, to));
  }

  @Benchmark
  @OperationsPerInvocation(VALUES)
  public byte[][] commonsGuideTable(Model m) {
    return Baselines.sampleIndependent(BenchData.PIXELS, IMAGES, SEED,
        (f, rng, out, from, to) -> Baselines.fillCommons(m.guide[f], rng, out, from, to));
  }

  @Benchmark
  @OperationsPerInvocation(VALUES)
  public byte[][] inverseCdf(Model m) {
    return Baselines.sampleIndependent(BenchData.PIXELS, IMAGES, SEED,
        (f, rng, out, from, to) -> Baselines.fillInverseCdf(m.cdf[f], rng, out, from, to));
  }
}
