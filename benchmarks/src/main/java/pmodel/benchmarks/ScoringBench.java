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
import pmodel.api.ExactDensity;
import pmodel.api.data.Dataset;

/**
 * Scoring: the exact log-probability of each of the 10,000 Fashion-MNIST test images under naive
 * Bayes fitted (α = 1) on the training images, timed per pixel value. Baselines: the plain nested
 * loops over the same column-major arrays and the same log θ, row by row and feature by feature.
 * The set-up checks that all three give the same numbers.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC"})
public class ScoringBench {
  static final int VALUES = BenchData.TEST_ROWS * BenchData.PIXELS;

  /** The model, the test images and the baselines' log θ. */
  @State(Scope.Benchmark)
  public static class Model {
    ExactDensity model;
    Dataset test;
    byte[][] cols;
    double[] logTheta;
    double[] out;

    @Setup
    public void setUp() {
      Dataset train = BenchData.fashionTrain();
      model = (ExactDensity) BenchData.fit("naive-bayes", train, Map.of("alpha", "1"));
      test = BenchData.fashionTest();
      cols = BenchData.columns(test);
      int k = BenchData.LEVELS;
      logTheta = Baselines.logTheta(Baselines.countValues(BenchData.columns(train), train.rows(),
          k), train.rows(), k, 1.0);
      out = new double[test.rows()];
      double[] byRow = Baselines.scoreByRow(cols, test.rows(), k, logTheta,
          new double[test.rows()]);
      double[] byFeature = Baselines.scoreByFeature(cols, test.rows(), k, logTheta,
          new double[test.rows()]);
      model.logDensities(test, out, 1);
      for (int i = 0; i < out.length; i++) {
        double tol = 1e-12 * Math.abs(byRow[i]);
        if (Math.abs(out[i] - byRow[i]) > tol || Math.abs(out[i] - byFeature[i]) > tol) {
          throw new IllegalStateException("row " + i + ": pmodel " + out[i] + ", by row "
              + byRow[i] + ", by feature " + byFeature[i]);
        }
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(VALUES)
  public double[] pmodel(Model m, Threads t) {
    m.model.logDensities(m.test, m.out, t.threads);
    return m.out;
  }

  @Benchmark
  @OperationsPerInvocation(VALUES)
  public double[] plainLoopByRow(Model m) {
    return Baselines.scoreByRow(m.cols, m.test.rows(), BenchData.LEVELS, m.logTheta, m.out);
  }

  @Benchmark
  @OperationsPerInvocation(VALUES)
  public double[] plainLoopByFeature(Model m) {
    return Baselines.scoreByFeature(m.cols, m.test.rows(), BenchData.LEVELS, m.logTheta, m.out);
  }
}
