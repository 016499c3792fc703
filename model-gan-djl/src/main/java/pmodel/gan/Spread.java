package pmodel.gan;

import pmodel.djl.Gaussians;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;

/**
 * Mode-collapse detection: how widely the fitted generator's samples spread, relative to the
 * training data, measured as √(total variance of samples / total variance of data) in the
 * networks' data vectors (standardized continuous columns, one-hot levels, pixels on [−1, 1]).
 *
 * <p>A generator that matches the data has a ratio near 1 (sampling noise of {@value #ROWS}
 * rows is a few percent); one that collapsed onto a point or a small region has a ratio near
 * 0 (on ring8 at the defaults of earlier versions, every sample near one point: ratio 0.16).
 * A generator that dropped some modes but spreads over the rest keeps a ratio near 1:
 * this test catches the total collapse the fit summary should warn about; mode coverage itself
 * needs the data's structure (the defaults matrix counts ring8's modes).
 */
final class Spread {
  /** Samples and data rows compared. */
  static final int ROWS = 2048;
  /**
   * Below this ratio the samples count as collapsed: their spread is under a third of the
   * data's, far outside the few percent of sampling noise of a faithful generator, while the
   * collapse of the issue (every sample near one point) gives 0.16.
   */
  static final double COLLAPSED = 1.0 / 3;
  /** The settings that usually help, for the warning. */
  static final String ADVICE = "usually helps: a stronger R1 penalty (--set r1=1), more"
      + " steps (--set steps=...), smaller learning rates (--set lr-g=1e-4 --set lr-d=1e-4),"
      + " or loss=wgan-gp";

  private Spread() {
  }

  static boolean collapsed(double ratio) {
    return ratio < COLLAPSED;
  }

  /** The spread ratio of {@code g}'s samples to {@code data}'s rows (NaN for one row). */
  static double ratio(Generator g, Dataset data, long seed) {
    Features f = g.nets().features;
    Schema schema = data.schema();
    int n = Math.min(ROWS, data.rows());
    if (n < 2) {
      return Double.NaN;
    }
    UniformRandomProvider rng = RandomStreams.create(seed, 0x5b4eadL);
    // data rows: a seeded choice without replacement (a partial Fisher-Yates shuffle)
    int[] order = new int[data.rows()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    for (int i = 0; i < n; i++) {
      int j = i + rng.nextInt(order.length - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    float[] real = new float[n * f.width];
    f.encode(data, order, 0, n, real);
    float[] z = new float[n * g.nets().latent];
    Gaussians.fillComplement(rng, z, 0, z.length);
    float[] out = g.generate(z, n);
    Object[] cols = new Object[schema.size()];
    for (int c = 0; c < cols.length; c++) {
      cols[c] = Dataset.newColumn(schema.feature(c), n);
    }
    f.decode(out, n, rng, cols, 0);
    Dataset samples = Dataset.of(schema, n, cols);
    float[] fake = new float[n * f.width];
    int[] identity = new int[n];
    for (int i = 0; i < n; i++) {
      identity[i] = i;
    }
    f.encode(samples, identity, 0, n, fake);
    double vd = totalVariance(real, n, f.width);
    double vs = totalVariance(fake, n, f.width);
    return vd > 0 ? Math.sqrt(vs / vd) : Double.NaN;
  }

  /** Σ over columns of the column's variance, rows × width values row-major. */
  static double totalVariance(float[] v, int rows, int width) {
    double total = 0;
    for (int c = 0; c < width; c++) {
      double mean = 0;
      for (int r = 0; r < rows; r++) {
        mean += v[r * width + c];
      }
      mean /= rows;
      double ss = 0;
      for (int r = 0; r < rows; r++) {
        double d = v[r * width + c] - mean;
        ss += d * d;
      }
      total += ss / (rows - 1);
    }
    return total;
  }
}
