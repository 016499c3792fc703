package pmodel.api.data;

import pmodel.api.error.PmodelException;

/**
 * Equal-width bins over [lower, upper] that turn a continuous feature into a discrete one for
 * counting models; the density inside a bin is uniform. With one bin it is the uniform "box".
 * Values outside [lower, upper] fall in no bin (density zero).
 */
public record Binning(double lower, double upper, int bins) {
  public Binning {
    if (!(Double.isFinite(lower) && Double.isFinite(upper) && upper > lower) || bins < 1) {
      throw PmodelException.badInput("bins [" + lower + ", " + upper + "] x " + bins
          + " are invalid; expected finite lower < upper and at least one bin");
    }
  }

  /**
   * Bins spanning the values' minimum and maximum. A constant column (minimum = maximum = v)
   * gets the unit interval [v - 0.5, v + 0.5], so that the density stays finite and proper.
   */
  public static Binning fit(String feature, double[] values, int bins) {
    if (values.length == 0) {
      throw PmodelException.badInput("feature '" + feature + "' has no values to bin");
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (!(max > min)) {
      // one value: a bin of width 1 around it, or of one ulp where 0.5 is below its precision
      // (1e20 - 0.5 == 1e20), never beyond the largest finite double
      double lo = min - 0.5;
      double hi = min + 0.5;
      if (!(lo < min)) {
        lo = Math.nextDown(min);
      }
      if (!(hi > min)) {
        hi = Math.nextUp(min);
      }
      return new Binning(Double.isInfinite(lo) ? min : lo, Double.isInfinite(hi) ? min : hi,
          bins);
    }
    return new Binning(min, max, bins);
  }

  /** Bins spanning the union of two binnings' ranges (used when statistics merge). */
  public Binning union(Binning other) {
    return new Binning(Math.min(lower, other.lower), Math.max(upper, other.upper), bins);
  }

  public double width() {
    double span = upper - lower;
    // a span beyond the largest double (-1e308 to 1e308) is computed in halves
    return Double.isInfinite(span) ? (upper / 2 - lower / 2) / bins * 2 : span / bins;
  }

  /** The bin of x, or -1 when x lies outside [lower, upper]. The upper edge is in the last bin. */
  public int bin(double x) {
    if (!(x >= lower && x <= upper)) {
      return -1;
    }
    double span = upper - lower;
    int b = Double.isInfinite(span)
        ? (int) ((x / 2 - lower / 2) / (upper / 2 - lower / 2) * bins)
        : (int) ((x - lower) / span * bins);
    return Math.min(b, bins - 1);
  }

  /** The natural log of the bin width, subtracted from log-probabilities to get log-densities. */
  public double logWidth() {
    double span = upper - lower;
    return Double.isInfinite(span) ? Math.log((upper / 2 - lower / 2) / bins) + Math.log(2)
        : Math.log(span / bins);
  }

  /** The value at fraction {@code u} in [0, 1) of bin {@code b}: a uniform draw inside the bin. */
  public double valueIn(int b, double u) {
    if (Double.isInfinite(upper - lower)) {
      // a convex combination of the bounds cannot overflow
      double t = (b + u) / bins;
      return Math.max(lower, Math.min(upper, lower * (1 - t) + upper * t));
    }
    double w = width();
    double x = lower + (b + u) * w;
    return Math.min(x, upper);
  }
}
