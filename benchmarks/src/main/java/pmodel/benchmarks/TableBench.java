package pmodel.benchmarks;

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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import pmodel.api.compute.RandomStreams;
import pmodel.api.sampling.AliasTable;

/**
 * Discrete sampling tables on their own, at sizes on both sides of powers of two (and 4032, the
 * outfits cells): construction (ns per table) apart from sampling (ns per sample, one sample at a
 * time from one generator). pmodel's {@link AliasTable} against Commons RNG's alias-method and
 * guide-table samplers and inverse-CDF binary search over the same weights.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"})
public class TableBench {
  static final int SAMPLES = 1 << 16;

  /** Random weights of one size, and every kind of table over them. */
  @State(Scope.Benchmark)
  public static class Tables {
    @Param({"255", "256", "257", "4032", "4095", "4096", "4097"})
    public int size;

    double[] weights;
    UniformRandomProvider rng;
    AliasTable alias;
    SharedStateDiscreteSampler commonsAlias;
    SharedStateDiscreteSampler commonsGuide;
    double[] cdf;

    @Setup
    public void setUp() {
      UniformRandomProvider w = RandomStreams.create(size, 0);
      weights = new double[size];
      for (int i = 0; i < size; i++) {
        weights[i] = w.nextDouble();
      }
      rng = RandomStreams.create(size, 1);
      alias = AliasTable.of(weights);
      commonsAlias = AliasMethodDiscreteSampler.of(rng, weights);
      commonsGuide = GuideTableDiscreteSampler.of(rng, weights);
      cdf = Baselines.cdf(weights);
    }
  }

  @Benchmark
  public AliasTable buildAliasTable(Tables t) {
    return AliasTable.of(t.weights);
  }

  @Benchmark
  public SharedStateDiscreteSampler buildCommonsAlias(Tables t) {
    return AliasMethodDiscreteSampler.of(t.rng, t.weights);
  }

  @Benchmark
  public SharedStateDiscreteSampler buildCommonsGuideTable(Tables t) {
    return GuideTableDiscreteSampler.of(t.rng, t.weights);
  }

  @Benchmark
  public double[] buildCdf(Tables t) {
    return Baselines.cdf(t.weights);
  }

  @Benchmark
  @OperationsPerInvocation(SAMPLES)
  public int sampleAliasTable(Tables t) {
    AliasTable a = t.alias;
    UniformRandomProvider rng = t.rng;
    int x = 0;
    for (int i = 0; i < SAMPLES; i++) {
      x += a.sample(rng);
    }
    return x;
  }

  @Benchmark
  @OperationsPerInvocation(SAMPLES)
  public int sampleCommonsAlias(Tables t) {
    return drain(t.commonsAlias);
  }

  @Benchmark
  @OperationsPerInvocation(SAMPLES)
  public int sampleCommonsGuideTable(Tables t) {
    return drain(t.commonsGuide);
  }

  /** SAMPLES samples from a Commons RNG sampler, summed so that none is dead code. */
  private static int drain(SharedStateDiscreteSampler s) {
    int x = 0;
    for (int i = 0; i < SAMPLES; i++) {
      x += s.sample();
    }
    return x;
  }

  @Benchmark
  @OperationsPerInvocation(SAMPLES)
  public int sampleInverseCdf(Tables t) {
    double[] cdf = t.cdf;
    UniformRandomProvider rng = t.rng;
    int x = 0;
    for (int i = 0; i < SAMPLES; i++) {
      x += Baselines.inverseCdf(cdf, rng.nextDouble());
    }
    return x;
  }
}
