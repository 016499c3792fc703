package pmodel.naivebayes;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.ConditionalSampler;
import pmodel.api.ExactDensity;
import pmodel.api.Family;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.Parallel;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Binning;
import pmodel.api.data.Condition;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Discretizer;
import pmodel.api.data.Schema;
import pmodel.api.sampling.AliasTable;
import pmodel.api.params.Parameters;

/**
 * A fitted naive Bayes model: θ_kl = (n_kl + α)/(N + α·K_k) per feature k and value l, and
 * P(x) = Π_k θ_{k,x_k}. Immutable; tables for scoring (log θ) and sampling (one alias table per
 * feature) are built once.
 */
final class NaiveBayesModel implements ExactDensity, ConditionalSampler {
  /** Rows per sampling block; each block has its own random stream (part of the seed contract). */
  static final int SAMPLE_BLOCK = 4096;
  /** Rows per scoring block: the partial sums of a block stay in the L1 cache. */
  static final int SCORE_BLOCK = 1024;

  private final Discretizer disc;
  private final Schema schema;
  private final Parameters params;
  private final long[] counts;
  private final long rows;
  private final int[] offsets;
  private final double[] theta;
  private final double[] logTheta; // includes −log(bin width) for binned features
  private final AliasTable[] tables;
  private final double[][] featureLogTheta; // logTheta of feature f as its own array
  /** The number of consecutive features from f on that are discrete and stored as bytes. */
  private final int[] byteRun;

  NaiveBayesModel(Discretizer disc, Parameters params, long[] counts, long rows) {
    this.disc = disc;
    this.schema = disc.schema();
    this.params = params;
    this.counts = counts;
    this.rows = rows;
    double alpha = params.real("alpha");
    int d = schema.size();
    this.offsets = new int[d + 1];
    for (int f = 0; f < d; f++) {
      offsets[f + 1] = offsets[f] + disc.cardinality(f);
    }
    this.theta = new double[counts.length];
    this.logTheta = new double[counts.length];
    this.tables = new AliasTable[d];
    for (int f = 0; f < d; f++) {
      int k = disc.cardinality(f);
      double denom = rows + alpha * k;
      // alpha near the largest double: alpha * k overflows, so divide through by alpha
      boolean huge = Double.isInfinite(denom);
      double offset = disc.logDensityOffset(f);
      double[] w = new double[k];
      for (int l = 0; l < k; l++) {
        int i = offsets[f] + l;
        theta[i] = huge ? (counts[i] / alpha + 1) / (rows / alpha + k)
            : (counts[i] + alpha) / denom;
        logTheta[i] = Math.log(theta[i]) + offset;
        w[l] = counts[i] + alpha;
      }
      tables[f] = AliasTable.of(w);
    }
    this.featureLogTheta = new double[d][];
    for (int f = 0; f < d; f++) {
      featureLogTheta[f] = Arrays.copyOfRange(logTheta, offsets[f], offsets[f + 1]);
    }
    this.byteRun = new int[d + 1];
    for (int f = d - 1; f >= 0; f--) {
      boolean bytes = !disc.binned(f) && Dataset.storesBytes(schema.discrete(f));
      byteRun[f] = bytes ? byteRun[f + 1] + 1 : 0;
    }
  }

  Discretizer discretizer() {
    return disc;
  }

  long[] counts() {
    return counts;
  }

  long rows() {
    return rows;
  }

  /** θ of value {@code l} of feature {@code f}. */
  double theta(int f, int l) {
    return theta[offsets[f] + l];
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public Family family() {
    return Family.EXPLICIT_TRACTABLE;
  }

  @Override
  public String providerId() {
    return NaiveBayesProvider.ID;
  }

  @Override
  public Parameters hyperparameters() {
    return params;
  }

  @Override
  public BigInteger freeParameters() {
    long free = 0;
    for (int f = 0; f < schema.size(); f++) {
      free += disc.cardinality(f) - 1;
    }
    return BigInteger.valueOf(free + disc.boundParameters());
  }

  @Override
  public void logDensities(Dataset data, double[] out, int threads) {
    checkSchema(data);
    int n = data.rows();
    if (out.length < n) {
      throw new IllegalArgumentException("out has " + out.length + " slots for " + n + " rows");
    }
    Parallel.forEachBlock(n, SCORE_BLOCK, threads, (block, from, to) -> {
      Arrays.fill(out, from, to, 0.0);
      int[] bins = null;
      for (int f = 0; f < schema.size(); f++) {
        int off = offsets[f];
        if (byteRun[f] >= 2) {
          Scoring.addBytes2(data.bytes(f), data.bytes(f + 1), from, to, featureLogTheta[f],
              featureLogTheta[f + 1], out);
          f++;
        } else if (disc.binned(f)) {
          if (bins == null) {
            bins = new int[to - from];
          }
          disc.bins(data, f, from, to, bins);
          for (int i = from; i < to; i++) {
            int b = bins[i - from];
            out[i] += b < 0 ? Double.NEGATIVE_INFINITY : logTheta[off + b];
          }
        } else if (Dataset.storesBytes(schema.discrete(f))) {
          Scoring.addBytes(data.bytes(f), from, to, featureLogTheta[f], out);
        } else {
          int[] col = data.ints(f);
          for (int i = from; i < to; i++) {
            out[i] += logTheta[off + col[i]];
          }
        }
      }
    });
  }

  /**
   * Σ log p over all rows through the sufficient statistics: the data's value counts dotted with
   * log θ. Costs one counting pass instead of a table look-up per cell.
   */
  @Override
  public double totalLogDensity(Dataset data, int threads) {
    checkSchema(data);
    NaiveBayesStatistics stats = (NaiveBayesStatistics) Parallel.reduce(data.rows(), threads,
        1 << 12, (from, to) -> {
          NaiveBayesStatistics s = new NaiveBayesStatistics(disc);
          s.add(data, from, to);
          return s;
        }, (a, b) -> {
          a.merge(b);
          return a;
        });
    if (stats.outOfRange() > 0) {
      return Double.NEGATIVE_INFINITY;
    }
    long[] c = stats.counts();
    double total = 0;
    for (int i = 0; i < c.length; i++) {
      if (c[i] != 0) {
        total += c[i] * logTheta[i];
      }
    }
    return total;
  }

  private void checkSchema(Dataset data) {
    if (!data.schema().equals(schema)) {
      throw PmodelException.badInput("the data's schema differs from the model's ("
          + schema.difference(data.schema()) + ")");
    }
  }

  @Override
  public Dataset sample(int n, long seed, int threads) {
    return sample(n, Condition.none(), seed, threads);
  }

  @Override
  public Dataset sample(int n, Condition given, long seed, int threads) {
    if (n < 0) {
      throw PmodelException.badInput("cannot draw " + n + " samples; expected n >= 0");
    }
    int d = schema.size();
    int[] fixedAt = given.positions(d);
    double[] fixedValue = new double[d];
    int[] fixedCode = new int[d];
    for (int i = 0; i < given.size(); i++) {
      int f = given.feature(i);
      if (disc.binned(f)) {
        fixedValue[f] = given.value(i);
        int b = disc.binning(f).bin(given.value(i));
        if (b < 0 || theta[offsets[f] + b] == 0) {
          throw zeroProbability(f, Double.toString(given.value(i)));
        }
      } else {
        fixedCode[f] = given.code(i);
        if (theta[offsets[f] + given.code(i)] == 0) {
          throw zeroProbability(f, schema.discrete(f).level(given.code(i)));
        }
      }
    }
    Object[] cols = new Object[d];
    for (int f = 0; f < d; f++) {
      cols[f] = Dataset.newColumn(schema.feature(f), n);
    }
    Parallel.forEachBlock(n, SAMPLE_BLOCK, threads, (block, from, to) -> {
      UniformRandomProvider rng = RandomStreams.create(seed, block);
      for (int f = 0; f < d; f++) {
        Object col = cols[f];
        if (fixedAt[f] >= 0) {
          if (col instanceof byte[] b) {
            Arrays.fill(b, from, to, (byte) fixedCode[f]);
          } else if (col instanceof int[] a) {
            Arrays.fill(a, from, to, fixedCode[f]);
          } else {
            Arrays.fill((double[]) col, from, to, fixedValue[f]);
          }
        } else if (col instanceof byte[] b) {
          tables[f].sample(rng, b, from, to);
        } else if (col instanceof int[] a) {
          tables[f].sample(rng, a, from, to);
        } else {
          double[] v = (double[]) col;
          Binning bin = disc.binning(f);
          for (int i = from; i < to; i++) {
            v[i] = bin.valueIn(tables[f].sample(rng), rng.nextDouble());
          }
        }
      }
    });
    return Dataset.of(schema, n, cols);
  }

  private PmodelException zeroProbability(int f, String value) {
    return PmodelException.badInput("--given " + schema.feature(f).name() + "=" + value
        + " has probability zero under the model; cannot condition on it");
  }

  @Override
  public List<String> describe(int limit) {
    List<String> out = new ArrayList<>();
    for (int f = 0; f < schema.size() && out.size() < limit; f++) {
      int k = disc.cardinality(f);
      Integer[] order = new Integer[k];
      for (int l = 0; l < k; l++) {
        order[l] = l;
      }
      int off = offsets[f];
      Arrays.sort(order, (a, b) -> Double.compare(theta[off + b], theta[off + a]));
      StringBuilder sb = new StringBuilder(schema.feature(f).name()).append(": ");
      for (int j = 0; j < Math.min(3, k); j++) {
        sb.append(j == 0 ? "" : ", ").append(valueName(f, order[j]))
            .append(String.format(" %.4f", theta[off + order[j]]));
      }
      out.add(sb.toString());
    }
    return out;
  }

  private String valueName(int f, int l) {
    if (disc.binned(f)) {
      Binning b = disc.binning(f);
      return String.format("[%.4g, %.4g)", b.lower() + l * b.width(), b.lower() + (l + 1) * b.width());
    }
    DiscreteFeature d = schema.discrete(f);
    return d.level(l);
  }
}
