package pmodel.api.data;

import java.util.Arrays;

/**
 * The minimum and maximum of every continuous feature over some rows (NaN for discrete features
 * and for columns with no rows yet). Ranges merge, so they can be computed per partition.
 */
public final class ColumnRanges {
  private final double[] min;
  private final double[] max;

  private ColumnRanges(double[] min, double[] max) {
    this.min = min;
    this.max = max;
  }

  /** Empty ranges for a schema. */
  public static ColumnRanges empty(Schema schema) {
    double[] lo = new double[schema.size()];
    double[] hi = new double[schema.size()];
    Arrays.fill(lo, Double.NaN);
    Arrays.fill(hi, Double.NaN);
    return new ColumnRanges(lo, hi);
  }

  /** Ranges from per-feature minima and maxima (NaN where there is none). */
  public static ColumnRanges of(double[] min, double[] max) {
    if (min.length != max.length) {
      throw new IllegalArgumentException("lengths differ");
    }
    return new ColumnRanges(min.clone(), max.clone());
  }

  /** The ranges of every continuous feature of a dataset. */
  public static ColumnRanges of(Dataset data) {
    ColumnRanges r = empty(data.schema());
    r.add(data, 0, data.rows());
    return r;
  }

  /** Widens the ranges to include rows [from, to). */
  public void add(Dataset data, int from, int to) {
    Schema schema = data.schema();
    for (int f = 0; f < schema.size(); f++) {
      if (schema.feature(f).isDiscrete()) {
        continue;
      }
      double[] v = data.doubles(f);
      double lo = min[f];
      double hi = max[f];
      for (int i = from; i < to; i++) {
        double x = v[i];
        lo = Double.isNaN(lo) ? x : Math.min(lo, x);
        hi = Double.isNaN(hi) ? x : Math.max(hi, x);
      }
      min[f] = lo;
      max[f] = hi;
    }
  }

  /** Widens these ranges to include another's. */
  public void merge(ColumnRanges other) {
    for (int f = 0; f < min.length; f++) {
      if (Double.isNaN(min[f])) {
        min[f] = other.min[f];
        max[f] = other.max[f];
      } else if (!Double.isNaN(other.min[f])) {
        min[f] = Math.min(min[f], other.min[f]);
        max[f] = Math.max(max[f], other.max[f]);
      }
    }
  }

  public double min(int feature) {
    return min[feature];
  }

  public double max(int feature) {
    return max[feature];
  }

  /**
   * Equal-width bins over the range of a continuous feature; a constant column gets the unit
   * interval around its value (see {@link Binning#fit}).
   */
  public Binning binning(Schema schema, int feature, int bins) {
    double lo = min[feature];
    double hi = max[feature];
    if (Double.isNaN(lo)) {
      throw pmodel.api.error.PmodelException.badInput("feature '" + schema.feature(feature).name()
          + "' has no values to bin");
    }
    return Binning.fit(schema.feature(feature).name(), new double[] {lo, hi}, bins);
  }
}
