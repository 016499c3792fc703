package pmodel.api.data;

import pmodel.api.error.PmodelException;

/**
 * Maps every feature of a schema to a discrete one for counting models: a discrete feature keeps
 * its codes; a continuous feature is cut into equal-width {@link Binning bins} over the range of
 * the training data, with uniform density inside each bin. A counting model over the discretized
 * features is then a proper density over the original schema: the probability of a bin divided
 * by its width.
 */
public final class Discretizer {
  private final Schema schema;
  private final Binning[] binnings; // null for discrete features
  private final int[] cardinality;

  private Discretizer(Schema schema, Binning[] binnings) {
    this.schema = schema;
    this.binnings = binnings;
    this.cardinality = new int[schema.size()];
    for (int f = 0; f < schema.size(); f++) {
      cardinality[f] = binnings[f] == null ? schema.discrete(f).cardinality() : binnings[f].bins();
    }
  }

  /** Bins every continuous feature into {@code bins} bins over its range in {@code ranges}. */
  public static Discretizer of(Schema schema, ColumnRanges ranges, int bins) {
    Binning[] b = new Binning[schema.size()];
    for (int f = 0; f < b.length; f++) {
      if (!schema.feature(f).isDiscrete()) {
        b[f] = ranges.binning(schema, f, bins);
      }
    }
    return new Discretizer(schema, b);
  }

  /**
   * Rebuilds a discretizer from saved bounds: {@code lower[i]}, {@code upper[i]} for the i-th
   * continuous feature in column order.
   */
  public static Discretizer of(Schema schema, double[] lower, double[] upper, int bins) {
    Binning[] b = new Binning[schema.size()];
    int i = 0;
    for (int f = 0; f < b.length; f++) {
      if (!schema.feature(f).isDiscrete()) {
        if (i >= lower.length) {
          throw PmodelException.badInput("bin bounds missing for feature '"
              + schema.feature(f).name() + "'");
        }
        if (!(Double.isFinite(lower[i]) && Double.isFinite(upper[i]) && upper[i] > lower[i])
            || bins < 1) {
          throw PmodelException.badInput("feature '" + schema.feature(f).name() + "': bins ["
              + lower[i] + ", " + upper[i] + "] x " + bins + " are invalid; expected finite"
              + " bounds with lower < upper and at least one bin");
        }
        b[f] = new Binning(lower[i], upper[i], bins);
        i++;
      }
    }
    return new Discretizer(schema, b);
  }

  /** The number of continuous features. */
  public static int continuousCount(Schema schema) {
    int c = 0;
    for (Feature f : schema.features()) {
      c += f.isDiscrete() ? 0 : 1;
    }
    return c;
  }

  public Schema schema() {
    return schema;
  }

  /** The number of discrete values of feature f after discretization. */
  public int cardinality(int f) {
    return cardinality[f];
  }

  /** All cardinalities after discretization. */
  public int[] cardinalities() {
    return cardinality.clone();
  }

  /** True when feature f is continuous (binned). */
  public boolean binned(int f) {
    return binnings[f] != null;
  }

  /** The binning of a continuous feature. */
  public Binning binning(int f) {
    return binnings[f];
  }

  /** The discrete value of a cell: its code, or its bin (-1 when outside the fitted range). */
  public int code(Dataset data, int row, int f) {
    Binning b = binnings[f];
    return b == null ? data.code(row, f) : b.bin(data.value(row, f));
  }

  /**
   * The bins of rows [from, to) of a continuous feature written to {@code out[0..to-from)}; -1
   * marks values outside the fitted range.
   */
  public void bins(Dataset data, int f, int from, int to, int[] out) {
    Binning b = binnings[f];
    double[] v = data.doubles(f);
    for (int i = from; i < to; i++) {
      out[i - from] = b.bin(v[i]);
    }
  }

  /** −log(bin width) of a continuous feature, 0 for a discrete one: added to log-probabilities. */
  public double logDensityOffset(int f) {
    return binnings[f] == null ? 0 : -binnings[f].logWidth();
  }

  /** Σ of {@link #logDensityOffset} over all features. */
  public double totalLogDensityOffset() {
    double s = 0;
    for (int f = 0; f < binnings.length; f++) {
      s += logDensityOffset(f);
    }
    return s;
  }

  /** The lower bounds of the continuous features, in column order (for saving). */
  public double[] lowerBounds() {
    double[] out = new double[continuousCount(schema)];
    int i = 0;
    for (Binning b : binnings) {
      if (b != null) {
        out[i++] = b.lower();
      }
    }
    return out;
  }

  /** The upper bounds of the continuous features, in column order (for saving). */
  public double[] upperBounds() {
    double[] out = new double[continuousCount(schema)];
    int i = 0;
    for (Binning b : binnings) {
      if (b != null) {
        out[i++] = b.upper();
      }
    }
    return out;
  }

  /** Two free parameters (the bounds) per continuous feature. */
  public int boundParameters() {
    return 2 * continuousCount(schema);
  }
}
