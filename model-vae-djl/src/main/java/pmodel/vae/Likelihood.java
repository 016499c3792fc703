package pmodel.vae;

import pmodel.djl.Gaussians;
import pmodel.djl.DjlEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Feature;
import pmodel.api.data.Schema;

/**
 * The decoder's distribution p(x | z) and how rows become network inputs: a discretized logistic
 * over the integer levels of every feature (8-bit images), a Bernoulli per pixel (binary or
 * binarized images), or for tables one softmax per discrete feature (one-hot in) and a Gaussian
 * per continuous feature (standardized in). Every variant is a proper density: a probability
 * mass for discrete features, a density in the data's own units for continuous ones.
 */
abstract sealed class Likelihood permits Likelihood.PerPixel, Likelihood.Table {
  /** The likelihood names of the {@code likelihood} hyperparameter. */
  static final String LOGISTIC = "logistic";
  static final String BERNOULLI = "bernoulli";
  static final String TABLE = "table";

  final Schema schema;

  Likelihood(Schema schema) {
    this.schema = schema;
  }

  /** The name stored in model files. */
  abstract String id();

  /** Width of the encoder's input, and of the decoder's output and the likelihood's target. */
  abstract int width();

  /** Length of the learned log-scale vector (0 when the likelihood has none). */
  abstract int scaleWidth();

  /**
   * Writes the encoder input and the likelihood target of rows {@code order[from..to)} into
   * {@code input} and {@code target}, row-major.
   */
  abstract void fill(Source data, int[] order, int from, int to, float[] input, float[] target);

  /**
   * log p(target | decoder output) per row, up to {@link #logOffset()}, built from DJL
   * operations that autograd can differentiate (constants from {@code c}, never Java numbers).
   */
  abstract NDArray logLikelihood(Constants c, NDArray out, NDArray target, NDArray logScale);

  /** A constant added to every row's log-likelihood (the units of continuous features). */
  double logOffset() {
    return 0;
  }

  /**
   * Turns decoder outputs of {@code count} rows into data: the decoder's mean (for a discrete
   * feature its nearest level, for a categorical one its most probable level) when {@code rng}
   * is null, else a true sample of p(x | z). Writes rows [at, at + count) of {@code columns}.
   */
  abstract void decode(float[] out, float[] logScale, int count, UniformRandomProvider rng,
      Object[] columns, int at);

  /** Long-lived scalars for one manager (see {@link Djl#scalar}). */
  static final class Constants {
    final NDArray half;
    final NDArray one;
    final NDArray two;
    final NDArray minLogScale;
    final NDArray tiny;
    final NDArray deltaFloor;
    final NDArray halfBin;
    final NDArray logHalfLevels;
    final NDArray lowEdge;
    final NDArray highEdge;
    final NDArray beta;

    Constants(NDManager m, int levels, double beta) {
      half = DjlEngine.scalar(m, 0.5f);
      one = DjlEngine.scalar(m, 1f);
      two = DjlEngine.scalar(m, 2f);
      minLogScale = DjlEngine.scalar(m, MIN_LOG_SCALE);
      tiny = DjlEngine.scalar(m, 1e-12f);
      deltaFloor = DjlEngine.scalar(m, 1e-5f);
      float hb = levels > 1 ? 1f / (levels - 1) : 1f;
      halfBin = DjlEngine.scalar(m, hb);
      logHalfLevels = DjlEngine.scalar(m, (float) Math.log(levels > 1 ? (levels - 1) / 2.0 : 1));
      lowEdge = DjlEngine.scalar(m, -1f + hb / 2);
      highEdge = DjlEngine.scalar(m, 1f - hb / 2);
      this.beta = DjlEngine.scalar(m, (float) beta);
    }
  }

  /** The smallest log-scale used (as the peer program: scales below e^-7 are clamped). */
  static final float MIN_LOG_SCALE = -7f;

  /** Access to the rows being fitted or scored. */
  static final class Source {
    final Dataset data;
    /** Row-major codes when every feature is stored as bytes, else null. */
    final byte[] rowMajor;
    final int width;

    Source(Dataset data, boolean rowMajor) {
      this.data = data;
      this.width = data.schema().size();
      this.rowMajor = rowMajor ? transpose(data) : null;
    }

    int rows() {
      return data.rows();
    }

    private static byte[] transpose(Dataset d) {
      int n = d.rows();
      int w = d.schema().size();
      byte[] out = new byte[Math.multiplyExact(n, w)];
      byte[][] cols = new byte[w][];
      for (int f = 0; f < w; f++) {
        cols[f] = d.bytes(f);
      }
      int chunk = 256;
      for (int r0 = 0; r0 < n; r0 += chunk) {
        int r1 = Math.min(n, r0 + chunk);
        for (int f = 0; f < w; f++) {
          byte[] col = cols[f];
          for (int r = r0; r < r1; r++) {
            out[r * w + f] = col[r];
          }
        }
      }
      return out;
    }
  }

  /** The likelihood {@code name} for this schema (the provider has checked that it fits). */
  static Likelihood of(String name, Schema schema, boolean binarize, double[] mean,
      double[] std) {
    return switch (name) {
      case LOGISTIC -> new Logistic(schema);
      case BERNOULLI -> new Bernoulli(schema, binarize);
      case TABLE -> new Table(schema, mean, std);
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** The common number of levels of every feature, or -1 when they differ or one is not integer. */
  static int commonLevels(Schema schema) {
    int k = -1;
    for (Feature f : schema.features()) {
      if (!(f instanceof DiscreteFeature d) || d.hasLevelNames() || !Dataset.storesBytes(d)) {
        return -1;
      }
      if (k >= 0 && d.cardinality() != k) {
        return -1;
      }
      k = d.cardinality();
    }
    return k;
  }

  static float sigmoid(float v) {
    return (float) (1 / (1 + Math.exp(-v)));
  }

  /**
   * A likelihood per pixel of images whose features all have the same K integer levels: the
   * encoder sees and the decoder predicts one value per pixel, looked up from the pixel's code.
   */
  abstract static sealed class PerPixel extends Likelihood permits Logistic, Bernoulli {
    final int levels;
    final int width;
    private final float[] inputOf = new float[256];
    private final float[] targetOf = new float[256];

    PerPixel(Schema schema) {
      super(schema);
      this.levels = commonLevels(schema);
      this.width = schema.size();
      if (levels < 2) {
        throw new IllegalArgumentException("a per-pixel likelihood needs K >= 2 common levels");
      }
      for (int c = 0; c < levels; c++) {
        inputOf[c] = input(c);
        targetOf[c] = target(c);
      }
    }

    /** The encoder's input for code c. */
    abstract float input(int c);

    /** The likelihood's target for code c. */
    abstract float target(int c);

    @Override
    int width() {
      return width;
    }

    @Override
    void fill(Source data, int[] order, int from, int to, float[] input, float[] target) {
      byte[] codes = data.rowMajor;
      int o = 0;
      for (int i = from; i < to; i++) {
        int base = order[i] * width;
        for (int f = 0; f < width; f++, o++) {
          int c = codes[base + f] & 0xFF;
          input[o] = inputOf[c];
          target[o] = targetOf[c];
        }
      }
    }
  }

  /** Discretized logistic over K levels, mapped to [-1, 1] (PixelCNN++ bins). */
  static final class Logistic extends PerPixel {
    Logistic(Schema schema) {
      super(schema);
    }

    @Override
    float input(int c) {
      return c / (float) (levels - 1);
    }

    @Override
    float target(int c) {
      return c * 2f / (levels - 1) - 1f;
    }

    @Override
    String id() {
      return LOGISTIC;
    }

    @Override
    int scaleWidth() {
      return width;
    }

    @Override
    NDArray logLikelihood(Constants k, NDArray out, NDArray x, NDArray logScale) {
      NDArray ls = logScale.maximum(k.minLogScale);
      NDArray invS = ls.neg().exp();
      NDArray c = x.sub(out);
      NDArray plus = c.add(k.halfBin).mul(invS);
      NDArray minus = c.sub(k.halfBin).mul(invS);
      NDArray spPlus = plus.getNDArrayInternal().softPlus();
      NDArray logCdfPlus = plus.sub(spPlus);
      NDArray logOneMinusCdfMinus = minus.getNDArrayInternal().softPlus().neg();
      NDArray delta = plus.getNDArrayInternal().sigmoid()
          .sub(minus.getNDArrayInternal().sigmoid());
      NDArray mid = c.mul(invS);
      NDArray logPdfMid = mid.sub(ls).sub(mid.getNDArrayInternal().softPlus().mul(k.two))
          .sub(k.logHalfLevels);
      NDArray inner = NDArrays.where(delta.gt(k.deltaFloor), delta.maximum(k.tiny).log(),
          logPdfMid);
      NDArray logp = NDArrays.where(x.lt(k.lowEdge), logCdfPlus,
          NDArrays.where(x.gt(k.highEdge), logOneMinusCdfMinus, inner));
      return logp.sum(new int[] {1});
    }

    @Override
    void decode(float[] out, float[] logScale, int count, UniformRandomProvider rng,
        Object[] columns, int at) {
      double half = (levels - 1) / 2.0;
      for (int f = 0; f < width; f++) {
        byte[] col = (byte[]) columns[f];
        double s = Math.exp(Math.max(MIN_LOG_SCALE, logScale[f]));
        for (int i = 0; i < count; i++) {
          double v = out[i * width + f];
          if (rng != null) {
            double u = Gaussians.openUniform(rng);
            v += s * (Math.log(u) - Math.log1p(-u));
          }
          long level = Math.round((Math.max(-1, Math.min(1, v)) + 1) * half);
          col[at + i] = (byte) level;
        }
      }
    }
  }

  /** A Bernoulli per pixel: binary levels, or levels thresholded at half the range. */
  static final class Bernoulli extends PerPixel {
    Bernoulli(Schema schema, boolean binarize) {
      super(schema);
      if (levels > 2 && !binarize) {
        throw new IllegalArgumentException("bernoulli needs 2 levels or binarize");
      }
    }

    /** Codes at or above (K+1)/2 are 1 (128 of 256 levels). */
    @Override
    float input(int c) {
      return c >= (levels + 1) / 2 ? 1f : 0f;
    }

    @Override
    float target(int c) {
      return input(c);
    }

    @Override
    String id() {
      return BERNOULLI;
    }

    @Override
    int scaleWidth() {
      return 0;
    }

    @Override
    NDArray logLikelihood(Constants k, NDArray out, NDArray x, NDArray logScale) {
      // log p = x·l − softplus(l), the negative binary cross-entropy with logits
      return x.mul(out).sub(out.getNDArrayInternal().softPlus()).sum(new int[] {1});
    }

    @Override
    void decode(float[] out, float[] logScale, int count, UniformRandomProvider rng,
        Object[] columns, int at) {
      int top = levels - 1;
      for (int f = 0; f < width; f++) {
        byte[] col = (byte[]) columns[f];
        for (int i = 0; i < count; i++) {
          float p = sigmoid(out[i * width + f]);
          long level = rng == null ? Math.round(p * top) : (Gaussians.openUniform(rng) < p ? top : 0);
          col[at + i] = (byte) level;
        }
      }
    }
  }

  /**
   * Tables: a softmax over the levels of each discrete feature (one-hot in and out), and a
   * Gaussian per continuous feature with a mean from the decoder and a learned per-feature scale,
   * on values standardized with the training data's mean and standard deviation.
   */
  static final class Table extends Likelihood {
    /** Where each feature's slots start in the input/output vector. */
    private final int[] offset;
    private final int[] levels; // 0 for continuous features
    private final int[] continuous; // feature indices of continuous features
    private final int oneHotWidth;
    private final int width;
    private final double[] mean;
    private final double[] std;

    Table(Schema schema, double[] mean, double[] std) {
      super(schema);
      int n = schema.size();
      offset = new int[n];
      levels = new int[n];
      List<Integer> cont = new ArrayList<>();
      int at = 0;
      for (int f = 0; f < n; f++) {
        if (schema.feature(f) instanceof DiscreteFeature d) {
          offset[f] = at;
          levels[f] = d.cardinality();
          at += d.cardinality();
        }
      }
      oneHotWidth = at;
      for (int f = 0; f < n; f++) {
        if (schema.feature(f) instanceof ContinuousFeature) {
          offset[f] = at++;
          cont.add(f);
        }
      }
      width = at;
      continuous = cont.stream().mapToInt(Integer::intValue).toArray();
      this.mean = mean.clone();
      this.std = std.clone();
      if (mean.length != continuous.length || std.length != continuous.length) {
        throw new IllegalArgumentException("mean/std per continuous feature");
      }
    }

    /** The one-hot width of a schema (sum of the discrete features' level counts). */
    static long oneHotWidth(Schema schema) {
      long w = 0;
      for (Feature f : schema.features()) {
        w += f instanceof DiscreteFeature d ? d.cardinality() : 1;
      }
      return w;
    }

    /** Mean and standard deviation of each continuous feature of {@code data}. */
    static double[][] standardization(Dataset data) {
      Schema s = data.schema();
      List<double[]> ms = new ArrayList<>();
      for (int f = 0; f < s.size(); f++) {
        if (s.feature(f) instanceof ContinuousFeature) {
          double[] v = data.doubles(f);
          double m = 0;
          for (double x : v) {
            m += x;
          }
          m /= Math.max(1, v.length);
          double var = 0;
          for (double x : v) {
            var += (x - m) * (x - m);
          }
          double sd = Math.sqrt(var / Math.max(1, v.length));
          ms.add(new double[] {m, sd > 1e-12 * Math.max(1, Math.abs(m)) ? sd : 1});
        }
      }
      double[][] out = new double[2][ms.size()];
      for (int i = 0; i < ms.size(); i++) {
        out[0][i] = ms.get(i)[0];
        out[1][i] = ms.get(i)[1];
      }
      return out;
    }

    double[] mean() {
      return mean.clone();
    }

    double[] std() {
      return std.clone();
    }

    @Override
    String id() {
      return TABLE;
    }

    @Override
    int width() {
      return width;
    }

    @Override
    int scaleWidth() {
      return continuous.length;
    }

    @Override
    void fill(Source src, int[] order, int from, int to, float[] input, float[] target) {
      Dataset data = src.data;
      int rows = to - from;
      java.util.Arrays.fill(input, 0, rows * width, 0f);
      for (int i = 0; i < rows; i++) {
        int r = order[from + i];
        int base = i * width;
        for (int f = 0; f < levels.length; f++) {
          if (levels[f] > 0) {
            input[base + offset[f] + data.code(r, f)] = 1f;
          }
        }
        for (int j = 0; j < continuous.length; j++) {
          int f = continuous[j];
          input[base + offset[f]] = (float) ((data.value(r, f) - mean[j]) / std[j]);
        }
      }
      System.arraycopy(input, 0, target, 0, rows * width);
    }

    @Override
    NDArray logLikelihood(Constants k, NDArray out, NDArray x, NDArray logScale) {
      NDArray total = null;
      if (oneHotWidth > 0) {
        NDList parts = new NDList();
        for (int f = 0; f < levels.length; f++) {
          if (levels[f] > 0) {
            parts.add(out.get(new NDIndex(":, {}:{}", offset[f], offset[f] + levels[f]))
                .logSoftmax(1));
          }
        }
        NDArray logSoft = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1);
        NDArray oneHot = x.get(new NDIndex(":, 0:{}", oneHotWidth));
        total = logSoft.mul(oneHot).sum(new int[] {1});
      }
      if (continuous.length > 0) {
        NDArray ls = logScale.maximum(k.minLogScale);
        NDArray mu = out.get(new NDIndex(":, {}:", oneHotWidth));
        NDArray t = x.get(new NDIndex(":, {}:", oneHotWidth));
        NDArray zed = t.sub(mu).mul(ls.neg().exp());
        NDArray logp = zed.mul(zed).mul(k.half).add(ls).neg().sum(new int[] {1});
        total = total == null ? logp : total.add(logp);
      }
      return total;
    }

    @Override
    double logOffset() {
      double c = -0.5 * Math.log(2 * Math.PI) * continuous.length;
      for (double s : std) {
        c -= Math.log(s);
      }
      return c;
    }

    @Override
    void decode(float[] out, float[] logScale, int count, UniformRandomProvider rng,
        Object[] columns, int at) {
      for (int i = 0; i < count; i++) {
        int base = i * width;
        for (int f = 0; f < levels.length; f++) {
          int k = levels[f];
          if (k == 0) {
            continue;
          }
          int o = base + offset[f];
          int pick;
          if (rng == null) {
            pick = 0;
            for (int l = 1; l < k; l++) {
              if (out[o + l] > out[o + pick]) {
                pick = l;
              }
            }
          } else {
            double max = Double.NEGATIVE_INFINITY;
            for (int l = 0; l < k; l++) {
              max = Math.max(max, out[o + l]);
            }
            double sum = 0;
            for (int l = 0; l < k; l++) {
              sum += Math.exp(out[o + l] - max);
            }
            double u = rng.nextDouble() * sum;
            pick = k - 1;
            double acc = 0;
            for (int l = 0; l < k; l++) {
              acc += Math.exp(out[o + l] - max);
              if (u < acc) {
                pick = l;
                break;
              }
            }
          }
          Object col = columns[f];
          if (col instanceof byte[] b) {
            b[at + i] = (byte) pick;
          } else {
            ((int[]) col)[at + i] = pick;
          }
        }
        for (int j = 0; j < continuous.length; j++) {
          int f = continuous[j];
          double v = out[base + offset[f]];
          if (rng != null) {
            v += Math.exp(Math.max(MIN_LOG_SCALE, logScale[j])) * Gaussians.next(rng);
          }
          ((double[]) columns[f])[at + i] = v * std[j] + mean[j];
        }
      }
    }
  }
}
