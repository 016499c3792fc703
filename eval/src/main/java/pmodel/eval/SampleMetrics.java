package pmodel.eval;

import java.util.Arrays;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.Parallel;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Schema;
import pmodel.eval.internal.NearestImages;
import pmodel.eval.internal.RowIndex;

/**
 * How much samples look like real data, measured against held-out rows and the training rows.
 * Tables: total variation distance (TV, half the L1 distance between two distributions, in
 * [0, 1]) of each feature's marginal and of each pair of features' contingency table, and the
 * fraction of samples that copy a training row exactly. Images: the distance from each sample to
 * its nearest training image, and the error of the per-pixel means and variances. Every function
 * is deterministic and gives the same result on any number of threads.
 */
public final class SampleMetrics {
  private SampleMetrics() {
  }

  /** Total variation distance between two distributions over the same outcomes: ½ Σ |p − q|. */
  public static double totalVariation(double[] p, double[] q) {
    if (p.length != q.length) {
      throw new IllegalArgumentException("lengths differ");
    }
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      s += Math.abs(p[i] - q[i]);
    }
    return s / 2;
  }

  /** The TV distance between the marginals of feature f in two datasets, in the given bins. */
  public static double marginalTv(TableBins bins, Dataset a, Dataset b, int f) {
    return totalVariation(bins.marginal(a, f), bins.marginal(b, f));
  }

  /** The TV distance of every feature's marginal, in column order. */
  public static double[] marginalTvs(TableBins bins, Dataset a, Dataset b) {
    double[] out = new double[bins.schema().size()];
    for (int f = 0; f < out.length; f++) {
      out[f] = marginalTv(bins, a, b, f);
    }
    return out;
  }

  /**
   * The TV distance between the joint distributions of features f and g in two datasets (their
   * contingency tables, as relative frequencies). Cells are counted by sorting combined codes,
   * so tables with many cells cost no more memory than the rows.
   */
  public static double pairTv(TableBins bins, Dataset a, Dataset b, int f, int g) {
    long[] ka = pairKeys(bins, a, f, g);
    long[] kb = pairKeys(bins, b, f, g);
    double na = ka.length;
    double nb = kb.length;
    double s = 0;
    int i = 0;
    int j = 0;
    while (i < ka.length || j < kb.length) {
      long key = j >= kb.length || (i < ka.length && ka[i] <= kb[j]) ? ka[i] : kb[j];
      int ca = 0;
      int cb = 0;
      while (i < ka.length && ka[i] == key) {
        ca++;
        i++;
      }
      while (j < kb.length && kb[j] == key) {
        cb++;
        j++;
      }
      s += Math.abs(ca / Math.max(1, na) - cb / Math.max(1, nb));
    }
    return s / 2;
  }

  private static long[] pairKeys(TableBins bins, Dataset d, int f, int g) {
    int[] cf = bins.codes(d, f);
    int[] cg = bins.codes(d, g);
    long kg = bins.cardinality(g);
    long[] keys = new long[cf.length];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = cf[i] * kg + cg[i];
    }
    Arrays.sort(keys);
    return keys;
  }

  /**
   * The mean TV distance over every pair of features (f &lt; g), computed on up to
   * {@code threads} threads; NaN when there is only one feature.
   */
  public static double meanPairTv(TableBins bins, Dataset a, Dataset b, int threads) {
    int d = bins.schema().size();
    int pairs = d * (d - 1) / 2;
    if (pairs == 0) {
      return Double.NaN;
    }
    int[] pf = new int[pairs];
    int[] pg = new int[pairs];
    int k = 0;
    for (int f = 0; f < d; f++) {
      for (int g = f + 1; g < d; g++) {
        pf[k] = f;
        pg[k] = g;
        k++;
      }
    }
    double[] tv = new double[pairs];
    Parallel.forEach(pairs, threads, p -> tv[p] = pairTv(bins, a, b, pf[p], pg[p]));
    double s = 0;
    for (double v : tv) {
      s += v;
    }
    return s / pairs;
  }

  /** The mean of an array. */
  static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return v.length == 0 ? Double.NaN : s / v.length;
  }

  /** For every sample, whether it equals some training row exactly (every feature equal). */
  public static boolean[] copies(Dataset samples, Dataset train, int threads) {
    sameSchema(samples, train);
    return RowIndex.of(train).contains(samples, threads);
  }

  /** The fraction of samples that equal some training row exactly. */
  public static double copyFraction(Dataset samples, Dataset train, int threads) {
    if (samples.rows() == 0) {
      throw PmodelException.badInput("no samples to compare; expected at least one");
    }
    int c = 0;
    for (boolean b : copies(samples, train, threads)) {
      c += b ? 1 : 0;
    }
    return (double) c / samples.rows();
  }

  /** All table metrics of samples against held-out and training rows. */
  public static TableQuality table(Dataset samples, Dataset heldOut, Dataset train, int bins,
      int threads) {
    sameSchema(samples, heldOut);
    TableBins b = TableBins.of(heldOut, bins);
    double[] marginals = marginalTvs(b, samples, heldOut);
    return new TableQuality(mean(marginals), marginals, meanPairTv(b, samples, heldOut, threads),
        copyFraction(samples, train, threads));
  }

  /**
   * The distance from each query image to its nearest training image, as a root mean square
   * pixel difference on the scale [0, 1] (Euclidean distance in levels / ((K − 1) √pixels)).
   * Images of 8-bit pixels (at most 256 levels) only.
   */
  public static double[] nearestTrainingDistances(Dataset queries, Dataset train, int threads) {
    return nearest(index(train), queries, threads);
  }

  private static NearestImages index(Dataset train) {
    imageLevels(train.schema());
    if (train.rows() == 0) {
      throw PmodelException.badInput("no training images to compare with");
    }
    return NearestImages.of(train);
  }

  private static double[] nearest(NearestImages index, Dataset queries, int threads) {
    sameSchema(queries, index.schema());
    int levels = imageLevels(queries.schema());
    long[] sq = index.nearestSquared(queries, threads);
    double scale = (levels - 1) * Math.sqrt(queries.schema().size());
    double[] out = new double[sq.length];
    for (int i = 0; i < sq.length; i++) {
      out[i] = Math.sqrt(sq[i]) / scale;
    }
    return out;
  }

  /**
   * The mean absolute difference between the per-pixel means of two image sets, and between their
   * per-pixel variances, with pixels on the scale [0, 1]: {@code {meanError, varianceError}}.
   */
  public static double[] pixelMomentErrors(Dataset a, Dataset b) {
    sameSchema(a, b);
    double[][] ma = pixelMoments(a);
    double[][] mb = pixelMoments(b);
    int d = ma[0].length;
    double me = 0;
    double ve = 0;
    for (int p = 0; p < d; p++) {
      me += Math.abs(ma[0][p] - mb[0][p]);
      ve += Math.abs(ma[1][p] - mb[1][p]);
    }
    return new double[] {me / d, ve / d};
  }

  /**
   * The mean and (population) variance of every pixel, on the scale [0, 1]:
   * {@code {means, variances}}.
   */
  public static double[][] pixelMoments(Dataset images) {
    Schema s = images.schema();
    int levels = imageLevels(s);
    int d = s.size();
    int n = images.rows();
    double[] mean = new double[d];
    double[] var = new double[d];
    double scale = levels - 1;
    for (int p = 0; p < d; p++) {
      byte[] c = images.bytes(p);
      long sum = 0;
      long sq = 0;
      for (int i = 0; i < n; i++) {
        int v = c[i] & 0xFF;
        sum += v;
        sq += (long) v * v;
      }
      double m = (double) sum / n;
      mean[p] = m / scale;
      var[p] = Math.max(0, (double) sq / n - m * m) / (scale * scale);
    }
    return new double[][] {mean, var};
  }

  /** All image metrics of samples against held-out and training images. */
  public static ImageQuality images(Dataset samples, Dataset heldOut, Dataset train,
      int threads) {
    sameSchema(samples, heldOut);
    NearestImages index = index(train);
    double[] nearest = nearest(index, samples, threads);
    Dataset ref = heldOut.rows() > samples.rows() ? heldOut.slice(0, samples.rows()) : heldOut;
    double[] refNearest = nearest(index, ref, threads);
    double[] moments = pixelMomentErrors(samples, heldOut);
    return new ImageQuality(mean(nearest), mean(refNearest), moments[0], moments[1],
        copyFraction(samples, train, threads));
  }

  private static int imageLevels(Schema s) {
    if (!s.isImage()) {
      throw PmodelException.badInput("image metrics need image data; this schema is a table");
    }
    int k = ((DiscreteFeature) s.feature(0)).cardinality();
    if (k > 256 || k < 2) {
      throw PmodelException.badInput("image metrics need 2..256 pixel levels, not " + k);
    }
    return k;
  }

  private static void sameSchema(Dataset a, Dataset b) {
    sameSchema(a, b.schema());
  }

  private static void sameSchema(Dataset a, Schema b) {
    String diff = a.schema().difference(b);
    if (diff != null) {
      throw PmodelException.badInput("the data sets have different schemas (" + diff + ")");
    }
  }
}
