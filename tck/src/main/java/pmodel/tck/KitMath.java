package pmodel.tck;

import pmodel.api.sampling.ChiSquare;

/** Small numerical helpers of the kit's statistical checks. */
final class KitMath {
  private KitMath() {
  }

  /** log Σ exp(v), stable for large negative values; -Infinity when every value is. */
  static double logSumExp(double[] v) {
    double max = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      max = Math.max(max, x);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return max;
    }
    double s = 0;
    for (double x : v) {
      s += Math.exp(x - max);
    }
    return max + Math.log(s);
  }

  /**
   * The one-sided standard normal quantile z with P(Z ≥ z) = {@code alpha}, by bisection on
   * P(Z ≥ z) = Q(χ²₁ ≥ z²)/2 (the chi-square tail with one degree of freedom).
   */
  static double normalUpperQuantile(double alpha) {
    double lo = 0;
    double hi = 40;
    for (int i = 0; i < 200; i++) {
      double mid = (lo + hi) / 2;
      if (ChiSquare.upperTail(1, mid * mid) / 2 > alpha) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  /** The mean of each column of {@code rows[j][x]} (j a repeat, x a cell). */
  static double[] means(double[][] rows) {
    double[] m = new double[rows[0].length];
    for (double[] r : rows) {
      for (int x = 0; x < m.length; x++) {
        m[x] += r[x] / rows.length;
      }
    }
    return m;
  }

  /** The unbiased sample variance of each column of {@code rows[j][x]}. */
  static double[] variances(double[][] rows, double[] means) {
    double[] v = new double[means.length];
    for (double[] r : rows) {
      for (int x = 0; x < v.length; x++) {
        double d = r[x] - means[x];
        v[x] += d * d / (rows.length - 1);
      }
    }
    return v;
  }
}
