package pmodel.flow;

import org.apache.commons.rng.UniformRandomProvider;
import pmodel.data.builtin.Ring8;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Dataset;
import pmodel.djl.Gaussians;

/** ring8's true density and entropy, from its definition, for tests and the bench. */
final class RingMath {
  private RingMath() {
  }

  /** log p(x, y) of the mixture: log (1/8 Σ_k N((x, y); c_k, σ² I)), by log-sum-exp. */
  static double logDensity(double x, double y) {
    double s2 = Ring8.SIGMA * Ring8.SIGMA;
    double[] t = new double[Ring8.MODES];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < Ring8.MODES; k++) {
      double[] c = Ring8.centre(k);
      double dx = x - c[0];
      double dy = y - c[1];
      t[k] = -(dx * dx + dy * dy) / (2 * s2) - Math.log(2 * Math.PI * s2);
      max = Math.max(max, t[k]);
    }
    double sum = 0;
    for (double v : t) {
      sum += Math.exp(v - max);
    }
    return max + Math.log(sum / Ring8.MODES);
  }

  /**
   * The entropy −E log p by Monte Carlo over {@code n} draws of the mixture itself (mode
   * uniform, then Gaussian noise); its standard error is sd(log p)/√n ≈ 1/√n (log p of a 2-D
   * Gaussian has standard deviation 1), so 10⁶ draws give ±0.001.
   */
  static double entropy(int n, long seed) {
    UniformRandomProvider rng = RandomStreams.create(seed, 0xe47L);
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double[] c = Ring8.centre(rng.nextInt(Ring8.MODES));
      double x = c[0] + Ring8.SIGMA * Gaussians.next(rng);
      double y = c[1] + Ring8.SIGMA * Gaussians.next(rng);
      sum -= logDensity(x, y);
    }
    return sum / n;
  }

  /** Samples within 4σ of each mode's centre (P(χ²₂ > 16) = e⁻⁸ ≈ 3e-4 of a true point is out). */
  static int[] modeCounts(Dataset s) {
    int[] counts = new int[Ring8.MODES];
    for (int i = 0; i < s.rows(); i++) {
      double x = s.value(i, 0);
      double y = s.value(i, 1);
      int k = Ring8.nearestMode(x, y);
      double[] c = Ring8.centre(k);
      if (Math.hypot(x - c[0], y - c[1]) <= 4 * Ring8.SIGMA) {
        counts[k]++;
      }
    }
    return counts;
  }

  /** Modes holding at least a quarter of their share (1/8) of the samples. */
  static int covered(int[] counts, int n) {
    int c = 0;
    for (int v : counts) {
      c += v >= n / 32.0 ? 1 : 0;
    }
    return c;
  }

  /** The fraction of samples within 4σ of some mode. */
  static double inModeFraction(Dataset s) {
    long in = 0;
    for (int v : modeCounts(s)) {
      in += v;
    }
    return (double) in / s.rows();
  }
}
