package pmodel.tck;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Repeated stochastic estimates of log p for every cell of a small schema ({@code values[j][x]}:
 * repeat j, cell x), summarised for the kit's bound checks. Cells where some repeat is
 * -Infinity (zero probability) are left out of the means.
 */
final class BoundStats {
  private final int repeats;
  private final double[] means;
  private final double[] variances;
  private final boolean[] finite;
  private final int finiteCells;

  private BoundStats(double[][] values) {
    this.repeats = values.length;
    int n = values[0].length;
    this.means = KitMath.means(values);
    this.finite = new boolean[n];
    int count = 0;
    for (int x = 0; x < n; x++) {
      finite[x] = Double.isFinite(means[x]);
      count += finite[x] ? 1 : 0;
    }
    this.finiteCells = count;
    double[] v = KitMath.variances(values, means);
    for (int x = 0; x < n; x++) {
      if (!finite[x]) {
        v[x] = 0;
      }
    }
    this.variances = v;
  }

  static BoundStats of(double[][] values) {
    return new BoundStats(values);
  }

  /** The mean estimate over cells with positive probability. */
  double meanOverCells() {
    double s = 0;
    for (int x = 0; x < means.length; x++) {
      if (finite[x]) {
        s += means[x];
      }
    }
    return s / Math.max(1, finiteCells);
  }

  /** The variance of {@link #meanOverCells()}: Σ var(x)/R over cells, divided by cells². */
  double varianceOfMean() {
    double s = 0;
    for (int x = 0; x < means.length; x++) {
      s += variances[x] / repeats;
    }
    return s / ((double) Math.max(1, finiteCells) * Math.max(1, finiteCells));
  }

  /**
   * The estimates lie below the exact log p: cell by cell where they are deterministic (no
   * variance; rounding allowance 1e-9 relative), and on average over cells within z standard
   * errors where they are random.
   */
  void assertBelow(double[] logP, double z, String what) {
    double diff = 0;
    for (int x = 0; x < means.length; x++) {
      if (!finite[x]) {
        continue;
      }
      int cell = x;
      assertTrue(logP[x] > Double.NEGATIVE_INFINITY, () -> what + " of cell " + cell + " is "
          + means[cell] + " where the exact log p is -Infinity");
      if (variances[x] == 0) {
        assertTrue(means[x] <= logP[x] + 1e-9 * (1 + Math.abs(logP[x])), () -> what
            + " of cell " + cell + " is " + means[cell] + ", above the exact log p "
            + logP[cell]);
      }
      diff += (means[x] - logP[x]) / finiteCells;
    }
    double se = Math.sqrt(varianceOfMean());
    double d = diff;
    assertTrue(d <= z * se + 1e-9, () -> what + " lies above the exact log p by " + d
        + " nats on average over the cells (standard error " + se + ")");
  }

  /**
   * Σ_x exp(mean estimate of x) ≤ 1: a lower bound on log p(x) in expectation has exp(E[.]) ≤
   * p(x), and the probabilities of every cell sum to 1. exp of a mean of R estimates is biased
   * upward by about exp(m)·σ²/(2R) (delta method) and has standard deviation about exp(m)·σ/√R;
   * the test allows the bias plus z standard deviations.
   */
  void assertTotalProbabilityAtMostOne(double z, String what) {
    double sum = 0;
    double bias = 0;
    double var = 0;
    for (int x = 0; x < means.length; x++) {
      if (!finite[x]) {
        continue;
      }
      double e = Math.exp(means[x]);
      sum += e;
      bias += e * variances[x] / (2.0 * repeats);
      var += e * e * variances[x] / repeats;
    }
    double limit = 1 + bias + z * Math.sqrt(var) + 1e-9;
    double s = sum;
    assertTrue(s <= limit, () -> "the probabilities implied by " + what + " sum to " + s
        + " over all " + means.length + " cells; a lower bound must keep them at most 1"
        + " (allowance for Monte Carlo noise: " + (limit - 1) + ")");
  }
}
