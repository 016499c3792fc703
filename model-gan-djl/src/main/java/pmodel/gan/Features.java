package pmodel.gan;

import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Feature;
import pmodel.api.data.ImageShape;
import pmodel.api.data.Schema;

/**
 * How rows of a schema become the vectors the networks see, and back.
 *
 * <ul>
 *   <li>Tables: a continuous feature is one standardized column ((v − mean) / sd, from the
 *       training data); a discrete feature of K levels is K one-hot columns. The generator ends
 *       in the identity for continuous columns and a softmax over each discrete feature's block,
 *       so the critic compares one-hot rows with probability vectors. A sample draws each
 *       discrete level from the generator's probabilities; {@link #decode} with no generator
 *       takes the most probable level.</li>
 *   <li>Images: pixel level l of K becomes 2l/(K − 1) − 1 in [−1, 1]; the generator ends in tanh,
 *       and an output becomes the nearest level. For the convolutional pair the image sits in
 *       the middle of a {@value #CANVAS}×{@value #CANVAS} canvas whose border is −1 (black), the
 *       critic sees the generator's canvas with the same border, so only the image is
 *       learned.</li>
 * </ul>
 */
final class Features {
  /** The side of the convolutional pair's square canvas. */
  static final int CANVAS = 32;

  final Schema schema;
  final boolean image;
  /** Whether data vectors are the padded canvas (the convolutional pair). */
  final boolean canvas;
  /** Columns of a data vector: the one-hot/standardized width, or the canvas. */
  final int width;
  /** First column of each feature (in the unpadded vector). */
  final int[] offset;
  /** Levels of each discrete feature (0 for continuous). */
  final int[] levels;
  /** Standardization of each continuous feature (0 and 1 for the others). */
  final double[] mean;
  final double[] sd;
  private final int top;
  private final int left;

  Features(Schema schema, boolean canvas, double[] mean, double[] sd) {
    this.schema = schema;
    this.image = schema.isImage();
    this.canvas = canvas;
    this.mean = mean;
    this.sd = sd;
    int d = schema.size();
    offset = new int[d];
    levels = new int[d];
    int w = 0;
    for (int f = 0; f < d; f++) {
      offset[f] = w;
      Feature feature = schema.feature(f);
      if (feature instanceof DiscreteFeature df) {
        levels[f] = df.cardinality();
        w += image ? 1 : df.cardinality();
      } else {
        w += 1;
      }
    }
    if (canvas) {
      ImageShape s = schema.image().orElseThrow();
      top = (CANVAS - s.height()) / 2;
      left = (CANVAS - s.width()) / 2;
      width = CANVAS * CANVAS;
    } else {
      top = 0;
      left = 0;
      width = w;
    }
  }

  /** The unpadded width of a table's one-hot vector (or of an image's pixels). */
  static long tableWidth(Schema schema) {
    long w = 0;
    for (Feature f : schema.features()) {
      w += f instanceof DiscreteFeature d && !schema.isImage() ? d.cardinality() : 1;
    }
    return w;
  }

  /** The features of {@code data}, with the standardization of its continuous columns. */
  static Features fitted(Dataset data, boolean canvas) {
    Schema schema = data.schema();
    double[] mean = new double[schema.size()];
    double[] sd = new double[schema.size()];
    for (int f = 0; f < schema.size(); f++) {
      sd[f] = 1;
      if (schema.feature(f) instanceof ContinuousFeature) {
        double[] v = data.doubles(f);
        double s = 0;
        for (double x : v) {
          s += x;
        }
        double m = v.length == 0 ? 0 : s / v.length;
        double ss = 0;
        for (double x : v) {
          ss += (x - m) * (x - m);
        }
        double sdv = v.length == 0 ? 0 : Math.sqrt(ss / v.length);
        mean[f] = m;
        sd[f] = sdv > 1e-12 * Math.max(1, Math.abs(m)) ? sdv : 1;
      }
    }
    return new Features(schema, canvas, mean, sd);
  }

  /** Canvas index of pixel p, or p itself without a canvas. */
  int column(int p) {
    if (!canvas) {
      return p;
    }
    int w = schema.image().orElseThrow().width();
    return (top + p / w) * CANVAS + left + p % w;
  }

  /**
   * The 0/1 mask of the canvas (1 where the image is), or null without a canvas: the critic sees
   * {@code x · mask + (mask − 1)}, the border fixed at −1.
   */
  float[] mask() {
    if (!canvas) {
      return null;
    }
    float[] m = new float[width];
    for (int p = 0; p < schema.size(); p++) {
      m[column(p)] = 1;
    }
    return m;
  }

  /** Writes the data vectors of rows {@code order[from..to)} into {@code out}, row-major. */
  void encode(Dataset data, int[] order, int from, int to, float[] out) {
    int d = schema.size();
    if (canvas) {
      java.util.Arrays.fill(out, 0, (to - from) * width, -1f);
    } else {
      java.util.Arrays.fill(out, 0, (to - from) * width, 0f);
    }
    for (int f = 0; f < d; f++) {
      int base = column(offset[f]);
      if (image) {
        float scale = 2f / Math.max(1, levels[f] - 1);
        for (int r = from; r < to; r++) {
          out[(r - from) * width + base] = data.code(order[r], f) * scale - 1f;
        }
      } else if (levels[f] > 0) {
        for (int r = from; r < to; r++) {
          out[(r - from) * width + base + data.code(order[r], f)] = 1f;
        }
      } else {
        double[] v = data.doubles(f);
        for (int r = from; r < to; r++) {
          out[(r - from) * width + base] = (float) ((v[order[r]] - mean[f]) / sd[f]);
        }
      }
    }
  }

  /**
   * Turns generator outputs (already through their output activation, row-major, {@link #width}
   * each) into rows {@code at..at+rows} of {@code cols}: continuous values unstandardized,
   * pixels to the nearest level, discrete levels drawn from the probabilities with {@code rng}
   * (row by row, feature by feature), or the most probable level when {@code rng} is null.
   */
  void decode(float[] out, int rows, UniformRandomProvider rng, Object[] cols, int at) {
    int d = schema.size();
    for (int r = 0; r < rows; r++) {
      int row = r * width;
      for (int f = 0; f < d; f++) {
        int base = row + column(offset[f]);
        if (image) {
          int k = levels[f];
          long code = Math.round((out[base] + 1.0) / 2.0 * (k - 1));
          code = Math.max(0, Math.min(k - 1, code));
          store(cols[f], at + r, (int) code);
        } else if (levels[f] > 0) {
          store(cols[f], at + r, rng == null ? argmax(out, base, levels[f])
              : draw(out, base, levels[f], rng.nextDouble()));
        } else {
          ((double[]) cols[f])[at + r] = out[base] * sd[f] + mean[f];
        }
      }
    }
  }

  private static void store(Object col, int i, int code) {
    if (col instanceof byte[] b) {
      b[i] = (byte) code;
    } else {
      ((int[]) col)[i] = code;
    }
  }

  private static int argmax(float[] p, int from, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (p[from + j] > p[from + best]) {
        best = j;
      }
    }
    return best;
  }

  /** Inverse-CDF draw from probabilities p[from..from+k) (renormalized). */
  private static int draw(float[] p, int from, int k, double u) {
    double total = 0;
    for (int j = 0; j < k; j++) {
      total += p[from + j];
    }
    double target = u * total;
    double acc = 0;
    for (int j = 0; j < k - 1; j++) {
      acc += p[from + j];
      if (target < acc) {
        return j;
      }
    }
    return k - 1;
  }
}
