package pmodel.benchmarks;

import java.util.Arrays;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.SharedStateDiscreteSampler;
import pmodel.api.compute.RandomStreams;

/**
 * The straightforward implementations pmodel's hot paths are measured against: plain nested
 * loops over the same column-major byte arrays, inverse-CDF binary search, and Apache Commons
 * RNG's discrete samplers driven in the same blocks with the same random streams as pmodel.
 */
final class Baselines {
  /** Rows per sampling block, each with its own random stream, as pmodel samples. */
  static final int BLOCK = 4096;

  private Baselines() {
  }

  /** counts[f·k + v] = the number of rows whose feature f has value v: the plain nested loop. */
  static long[] countValues(byte[][] cols, int rows, int k) {
    long[] counts = new long[cols.length * k];
    for (int f = 0; f < cols.length; f++) {
      byte[] col = cols[f];
      int off = f * k;
      for (int i = 0; i < rows; i++) {
        counts[off + (col[i] & 0xFF)]++;
      }
    }
    return counts;
  }

  /** Counts of the cells of the product space (row-major cell numbers), row by row. */
  static long[] countCells(byte[][] cols, int rows, int[] k) {
    int d = 1;
    for (int x : k) {
      d *= x;
    }
    long[] counts = new long[d];
    for (int i = 0; i < rows; i++) {
      int cell = 0;
      for (int f = 0; f < cols.length; f++) {
        cell = cell * k[f] + (cols[f][i] & 0xFF);
      }
      counts[cell]++;
    }
    return counts;
  }

  /** log θ per (feature, value) with additive smoothing α, from value counts. */
  static double[] logTheta(long[] counts, long rows, int k, double alpha) {
    double[] t = new double[counts.length];
    double denom = rows + alpha * k;
    for (int i = 0; i < counts.length; i++) {
      t[i] = Math.log((counts[i] + alpha) / denom);
    }
    return t;
  }

  /** Σ_f log θ[f, x_f] for every row, one row at a time (each row reads every column). */
  static double[] scoreByRow(byte[][] cols, int rows, int k, double[] logTheta, double[] out) {
    for (int i = 0; i < rows; i++) {
      double s = 0;
      for (int f = 0; f < cols.length; f++) {
        s += logTheta[f * k + (cols[f][i] & 0xFF)];
      }
      out[i] = s;
    }
    return out;
  }

  /** The same sums, one feature at a time over all rows. */
  static double[] scoreByFeature(byte[][] cols, int rows, int k, double[] logTheta, double[] out) {
    Arrays.fill(out, 0, rows, 0.0);
    for (int f = 0; f < cols.length; f++) {
      byte[] col = cols[f];
      int off = f * k;
      for (int i = 0; i < rows; i++) {
        out[i] += logTheta[off + (col[i] & 0xFF)];
      }
    }
    return out;
  }

  /** Normalised cumulative sums of weights; the last entry is exactly 1. */
  static double[] cdf(double[] weights) {
    double[] c = new double[weights.length];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      sum += weights[i];
      c[i] = sum;
    }
    for (int i = 0; i < c.length; i++) {
      c[i] /= sum;
    }
    c[c.length - 1] = 1.0;
    return c;
  }

  /** The first index i with u < cdf[i] (binary search; u in [0, 1)). */
  static int inverseCdf(double[] cdf, double u) {
    int lo = 0;
    int hi = cdf.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (u < cdf[mid]) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** A sampler of one feature, bound to a generator. */
  @FunctionalInterface
  interface FeatureSampler {
    void fill(int feature, UniformRandomProvider rng, byte[] out, int from, int to);
  }

  /**
   * {@code rows} rows of independent features drawn block by block as pmodel does: block b's
   * rows come from stream (seed, b), feature after feature.
   */
  static byte[][] sampleIndependent(int features, int rows, long seed, FeatureSampler sampler) {
    byte[][] out = new byte[features][rows];
    for (int from = 0, b = 0; from < rows; from += BLOCK, b++) {
      int to = Math.min(rows, from + BLOCK);
      UniformRandomProvider rng = RandomStreams.create(seed, b);
      for (int f = 0; f < features; f++) {
        sampler.fill(f, rng, out[f], from, to);
      }
    }
    return out;
  }

  /** One feature from a Commons RNG sampler (alias method or guide table) sharing its tables. */
  static void fillCommons(SharedStateDiscreteSampler sampler, UniformRandomProvider rng,
      byte[] out, int from, int to) {
    SharedStateDiscreteSampler s = sampler.withUniformRandomProvider(rng);
    for (int i = from; i < to; i++) {
      out[i] = (byte) s.sample();
    }
  }

  /** One feature by inverse-CDF binary search. */
  static void fillInverseCdf(double[] cdf, UniformRandomProvider rng, byte[] out, int from,
      int to) {
    for (int i = from; i < to; i++) {
      out[i] = (byte) inverseCdf(cdf, rng.nextDouble());
    }
  }

  /**
   * {@code rows} cells drawn block by block (stream (seed, b) for block b), each written out as
   * its feature values through the table {@code codes} (cell c's values at [c·d, (c+1)·d)).
   * {@code bind} turns a generator into a sampler of cell numbers.
   */
  static byte[][] sampleCells(int features, byte[] codes, int rows, long seed,
      Function<UniformRandomProvider, IntSupplier> bind) {
    byte[][] out = new byte[features][rows];
    for (int from = 0, b = 0; from < rows; from += BLOCK, b++) {
      int to = Math.min(rows, from + BLOCK);
      IntSupplier s = bind.apply(RandomStreams.create(seed, b));
      for (int i = from; i < to; i++) {
        int base = s.getAsInt() * features;
        for (int f = 0; f < features; f++) {
          out[f][i] = codes[base + f];
        }
      }
    }
    return out;
  }

  /** Cell c's feature values at [c·d, (c+1)·d), the last feature varying fastest. */
  static byte[] cellCodes(int[] k) {
    int d = 1;
    for (int x : k) {
      d *= x;
    }
    byte[] codes = new byte[d * k.length];
    for (int c = 0; c < d; c++) {
      int rest = c;
      for (int f = k.length - 1; f >= 0; f--) {
        codes[c * k.length + f] = (byte) (rest % k[f]);
        rest /= k[f];
      }
    }
    return codes;
  }
}
