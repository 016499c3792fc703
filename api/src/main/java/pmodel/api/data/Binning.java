package pmodel.api.data;

import pmodel.api.PmodelException;

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
      return new Binning(min - 0.5, min + 0.5, bins);
    }
    return new Binning(min, max, bins);
  }

  /** Bins spanning the union of two binnings' ranges (used when statistics merge). */
  public Binning union(Binning other) {
    return new Binning(Math.min(lower, other.lower), Math.max(upper, other.upper), bins);
  }

  public double width() {
    return (upper - lower) / bins;
  }

  /** The bin of x, or -1 when x lies outside [lower, upper]. The upper edge is in the last bin. */
  public int bin(double x) {
    if (!(x >= lower && x <= upper)) {
      return -1;
    }
    int b = (int) ((x - lower) / (upper - lower) * bins);
    return Math.min(b, bins - 1);
  }

  /** The natural log of the bin width, subtracted from log-probabilities to get log-densities. */
  public double logWidth() {
    return Math.log(width());
  }

  /** The value at fraction {@code u} in [0, 1) of bin {@code b}: a uniform draw inside the bin. */
  public double valueIn(int b, double u) {
    double w = width();
    double x = lower + (b + u) * w;
    return Math.min(x, upper);
  }
}
