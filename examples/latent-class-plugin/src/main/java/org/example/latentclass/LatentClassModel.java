package org.example.latentclass;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.ConditionalSampler;
import pmodel.api.ExactDensity;
import pmodel.api.Family;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.Parallel;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Condition;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Schema;
import pmodel.api.sampling.AliasTable;
import pmodel.api.params.Parameters;

/**
 * A fitted latent-class model. log p(x) = log Σ_k exp(log π_k + Σ_f log θ_kf(x_f)), computed
 * with the log-sum-exp trick. Sampling draws a class, then every feature from that class;
 * conditional sampling draws the class from P(k | given) ∝ π_k Π_{f given} θ_kf(x_f) (Bayes'
 * rule) and the free features from the class. Immutable; alias tables are built once.
 */
final class LatentClassModel implements ExactDensity, ConditionalSampler {
  /** Rows per sampling block; each block has its own random stream (the seed contract). */
  static final int SAMPLE_BLOCK = 4096;
  static final int SCORE_BLOCK = 2048;

  private final Schema schema;
  private final Parameters params;
  private final Layout layout;
  private final int classes;
  private final double[] weights;
  private final double[] theta;
  private final double[] logWeights;
  private final double[] logTheta;
  private final double logLikelihood;
  private final long rows;
  private final AliasTable classTable;
  private final AliasTable[] tables; // class c, feature f at c * features + f

  LatentClassModel(Schema schema, Parameters params, Layout layout, double[] weights,
      double[] theta, double logLikelihood, long rows) {
    this.schema = schema;
    this.params = params;
    this.layout = layout;
    this.classes = weights.length;
    this.weights = weights;
    this.theta = theta;
    this.logLikelihood = logLikelihood;
    this.rows = rows;
    this.logWeights = Arrays.stream(weights).map(Math::log).toArray();
    this.logTheta = Arrays.stream(theta).map(Math::log).toArray();
    this.classTable = AliasTable.of(weights);
    int d = layout.features();
    this.tables = new AliasTable[classes * d];
    for (int c = 0; c < classes; c++) {
      for (int f = 0; f < d; f++) {
        int off = c * layout.levels() + layout.offset(f);
        tables[c * d + f] = AliasTable.of(Arrays.copyOfRange(theta, off,
            off + layout.cardinality(f)));
      }
    }
  }

  double[] weights() {
    return weights.clone();
  }

  double[] theta() {
    return theta.clone();
  }

  double logLikelihood() {
    return logLikelihood;
  }

  long rows() {
    return rows;
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
    return LatentClassProvider.ID;
  }

  @Override
  public Parameters hyperparameters() {
    return params;
  }

  @Override
  public BigInteger freeParameters() {
    long perClass = layout.levels() - layout.features();
    return BigInteger.valueOf(classes - 1 + classes * perClass);
  }

  private void checkSchema(Dataset data) {
    if (!data.schema().equals(schema)) {
      throw PmodelException.badInput("the data's schema differs from the model's ("
          + schema.difference(data.schema()) + ")");
    }
  }

  @Override
  public void logDensities(Dataset data, double[] out, int threads) {
    checkSchema(data);
    int n = data.rows();
    int d = layout.features();
    Parallel.forEachBlock(n, SCORE_BLOCK, threads, (block, from, to) -> {
      double[] post = new double[classes];
      int[] x = new int[d];
      for (int i = from; i < to; i++) {
        out[i] = posterior(data, i, layout, logWeights, logTheta, x, post);
      }
    });
  }

  /**
   * log p(row) = log Σ_c exp(log π_c + Σ_f log θ_cf(x_f)), by the log-sum-exp trick. Also fills
   * {@code x} with the row's level indices within a class's block and {@code post} with
   * P(class | row) (when log p is finite), for the E-step.
   */
  static double posterior(Dataset data, int row, Layout layout, double[] logWeights,
      double[] logTheta, int[] x, double[] post) {
    int k = logWeights.length;
    int d = layout.features();
    int v = layout.levels();
    for (int f = 0; f < d; f++) {
      x[f] = layout.offset(f) + data.code(row, f);
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      double t = logWeights[c];
      for (int f = 0; f < d; f++) {
        t += logTheta[c * v + x[f]];
      }
      post[c] = t;
      max = Math.max(max, t);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return max;
    }
    double sum = 0;
    for (int c = 0; c < k; c++) {
      post[c] = Math.exp(post[c] - max);
      sum += post[c];
    }
    for (int c = 0; c < k; c++) {
      post[c] /= sum;
    }
    return max + Math.log(sum);
  }

  @Override
  public Dataset sample(int n, long seed, int threads) {
    return draw(n, null, classTable, seed, threads);
  }

  @Override
  public Dataset sample(int n, Condition given, long seed, int threads) {
    if (given.isEmpty()) {
      return sample(n, seed, threads);
    }
    // P(class | given) ∝ π_c Π_{f given} θ_cf(x_f), in logs, then normalised by its maximum
    double[] logPost = logWeights.clone();
    for (int c = 0; c < classes; c++) {
      for (int g = 0; g < given.size(); g++) {
        int f = given.feature(g);
        logPost[c] += logTheta[c * layout.levels() + layout.offset(f) + given.code(g)];
      }
    }
    double max = Arrays.stream(logPost).max().orElseThrow();
    if (max == Double.NEGATIVE_INFINITY) {
      StringBuilder what = new StringBuilder();
      for (int g = 0; g < given.size(); g++) {
        DiscreteFeature f = schema.discrete(given.feature(g));
        what.append(g == 0 ? "" : ", ").append(f.name()).append('=')
            .append(f.level(given.code(g)));
      }
      throw PmodelException.badInput("--given " + what + " has probability zero under the"
          + " model; cannot condition on it");
    }
    double[] post = new double[classes];
    for (int c = 0; c < classes; c++) {
      post[c] = Math.exp(logPost[c] - max);
    }
    return draw(n, given, AliasTable.of(post), seed, threads);
  }

  private Dataset draw(int n, Condition given, AliasTable pick, long seed, int threads) {
    if (n < 0) {
      throw PmodelException.badInput("cannot draw " + n + " samples; expected n >= 0");
    }
    int d = layout.features();
    int[] fixed = new int[d];
    Arrays.fill(fixed, -1);
    if (given != null) {
      for (int g = 0; g < given.size(); g++) {
        fixed[given.feature(g)] = given.code(g);
      }
    }
    Object[] cols = new Object[d];
    for (int f = 0; f < d; f++) {
      cols[f] = Dataset.newColumn(schema.feature(f), n);
    }
    Parallel.forEachBlock(n, SAMPLE_BLOCK, threads, (block, from, to) -> {
      UniformRandomProvider rng = RandomStreams.create(seed, block);
      for (int i = from; i < to; i++) {
        int c = pick.sample(rng);
        for (int f = 0; f < d; f++) {
          int code = fixed[f] >= 0 ? fixed[f] : tables[c * d + f].sample(rng);
          if (cols[f] instanceof byte[] b) {
            b[i] = (byte) code;
          } else {
            ((int[]) cols[f])[i] = code;
          }
        }
      }
    });
    return Dataset.of(schema, n, cols);
  }

  /** One line per class, heaviest first: its weight and each feature's most likely level. */
  @Override
  public List<String> describe(int limit) {
    List<String> out = new ArrayList<>();
    int[] order = IntStream.range(0, classes).boxed()
        .sorted(Comparator.comparingDouble(c -> -weights[c])).mapToInt(Integer::intValue)
        .toArray();
    for (int c : order) {
      if (out.size() >= limit) {
        break;
      }
      StringBuilder sb = new StringBuilder(String.format("class %d (weight %.3f):", c + 1,
          weights[c]));
      for (int f = 0; f < layout.features() && f < 8; f++) {
        int off = c * layout.levels() + layout.offset(f);
        int best = 0;
        for (int l = 1; l < layout.cardinality(f); l++) {
          if (theta[off + l] > theta[off + best]) {
            best = l;
          }
        }
        DiscreteFeature feature = schema.discrete(f);
        sb.append(f == 0 ? " " : ", ").append(feature.name()).append('=')
            .append(feature.level(best)).append(String.format(" %.2f", theta[off + best]));
      }
      if (layout.features() > 8) {
        sb.append(", ...");
      }
      out.add(sb.toString());
    }
    return out;
  }
}
