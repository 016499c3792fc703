package pmodel.bayesnet;

import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import pmodel.api.Capability;
import pmodel.api.Family;
import pmodel.api.GenerativeModel;
import pmodel.api.error.PmodelException;
import pmodel.api.data.ColumnRanges;
import pmodel.api.data.Discretizer;
import pmodel.api.data.Schema;
import pmodel.api.spi.CountingProvider;
import pmodel.api.params.ParameterSpec;
import pmodel.api.params.Parameters;
import pmodel.api.spi.StateReader;
import pmodel.api.spi.StateWriter;
import pmodel.api.spi.Statistics;
import pmodel.api.spi.Support;

/**
 * A Bayesian network whose structure is the Chow-Liu tree: every feature depends on at most one
 * parent, chosen as the maximum spanning tree of the pairwise mutual information; conditional
 * tables with additive smoothing. Continuous features are binned, as naive Bayes bins them. Its
 * sufficient statistics are the counts of every pair of features, so it fits by counting, on
 * every core or on Spark. With a finite {@code epsilon} the fit is differentially private
 * ({@link Privacy}). A parent limit above one is not offered: its family counts would need more
 * than one counting pass (see docs).
 */
public final class BayesNetProvider implements CountingProvider {
  static final String ID = "bayesnet";
  /**
   * The most pair counts the statistics hold, Σ_{i&lt;j} K_i·K_j: 2^25 longs are 256 MiB per
   * counting thread (784 pixels of 8 levels need 19.6 million).
   */
  static final long PAIR_LIMIT = 1L << 25;

  static final List<ParameterSpec> PARAMETERS = List.of(
      ParameterSpec.real("alpha", 1.0, 0, true, Double.MAX_VALUE,
          "additive smoothing of each conditional table row: theta(b|a) = (n(a,b) + alpha)/(n(a)"
          + " + alpha*K); 0 is maximum likelihood"),
      ParameterSpec.integer("bins", 10, 1, 65536,
          "equal-width bins per continuous feature, over the training data's range"),
      ParameterSpec.real("epsilon", Double.POSITIVE_INFINITY, 0, false,
          Double.POSITIVE_INFINITY, "differential privacy budget: the tree by the exponential"
          + " mechanism and Laplace noise on the counts (not repeatable); Infinity is off"));

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Family family() {
    return Family.EXPLICIT_TRACTABLE;
  }

  @Override
  public String description() {
    return "a Bayesian network on the Chow-Liu tree: each feature depends on one parent";
  }

  @Override
  public int apiVersion() {
    return API_VERSION;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.SAMPLING, Capability.EXACT_DENSITY,
        Capability.CONDITIONAL_SAMPLING, Capability.DEPENDENCY_GRAPH);
  }

  @Override
  public List<ParameterSpec> parameters() {
    return PARAMETERS;
  }

  private static int[] cardinalities(Schema schema, int bins) {
    int[] k = new int[schema.size()];
    for (int f = 0; f < k.length; f++) {
      k[f] = schema.feature(f).isDiscrete() ? schema.discrete(f).cardinality() : bins;
    }
    return k;
  }

  /** True when the fit is differentially private: a finite epsilon. */
  static boolean isPrivate(Parameters params) {
    return params.real("epsilon") < Double.POSITIVE_INFINITY;
  }

  @Override
  public Support supports(Schema schema, Parameters params) {
    if (isPrivate(params) && schema.hasContinuous()) {
      return Support.no("epsilon applies to discrete features only: the bin ranges of"
          + " continuous features come from the data and would not be private; quantise them");
    }
    double cells = BayesNetStatistics.pairCells(cardinalities(schema,
        (int) params.integer("bins")));
    if (cells > PAIR_LIMIT) {
      return Support.no(String.format("the counts of every pair of features need %.3g cells;"
          + " bayesnet holds at most %d: use fewer levels (quantise) or fewer features", cells,
          PAIR_LIMIT));
    }
    return Support.yes();
  }

  @Override
  public Statistics newStatistics(Schema schema, Parameters params, ColumnRanges ranges) {
    Support s = supports(schema, params);
    if (!s.supported()) {
      throw PmodelException.badInput(s.reason());
    }
    return new BayesNetStatistics(Discretizer.of(schema, ranges, (int) params.integer("bins")));
  }

  @Override
  public GenerativeModel fromStatistics(Statistics statistics, Parameters params) {
    BayesNetStatistics s = (BayesNetStatistics) statistics;
    long counted = s.rows() - s.outOfRange();
    if (s.rows() == 0) {
      throw PmodelException.badInput("the data set is empty; bayesnet needs at least one row");
    }
    if (counted < 1) {
      throw PmodelException.badInput("every row holds a continuous value outside the binned"
          + " range; bayesnet needs at least one row inside it");
    }
    Discretizer disc = s.discretizer();
    int d = disc.schema().size();
    int[] k = disc.cardinalities();
    double[] mi = new double[BayesNetStatistics.pairCount(d)];
    for (int i = 0; i < d; i++) {
      for (int j = i + 1; j < d; j++) {
        int idx = BayesNetStatistics.pairIndex(i, j, d);
        mi[idx] = ChowLiu.mutualInformation(s.pairs(), s.pairOffset(idx), k[i], k[j]);
      }
    }
    if (!isPrivate(params)) {
      int[] parent = ChowLiu.maximumSpanningTree(mi, d);
      return new BayesNetModel(disc, params, parent, familyCounts(s, parent), counted);
    }
    double epsilon = params.real("epsilon");
    SecureRandom rng = new SecureRandom();
    int[] parent = Privacy.exponentialTree(mi, k, counted, epsilon / 2, rng);
    long[] family = familyCounts(s, parent);
    Privacy.perturbCounts(family, d, counted, epsilon / 2, rng);
    return new BayesNetModel(disc, params, parent, family, counted);
  }

  /**
   * The counts of each family, concatenated: a root's value counts; a child's table with its
   * parent n(parent = a, child = b) at a·K_child + b (pair tables are stored with the lower
   * feature index first, so a parent with a higher index is transposed).
   */
  static long[] familyCounts(BayesNetStatistics s, int[] parent) {
    int[] k = s.discretizer().cardinalities();
    int d = k.length;
    int[] off = BayesNetModel.countOffsets(k, parent);
    long[] out = new long[off[d]];
    for (int j = 0; j < d; j++) {
      int p = parent[j];
      if (p < 0) {
        System.arraycopy(s.marginals(), s.marginalOffset(j), out, off[j], k[j]);
        continue;
      }
      int base = s.pairOffset(BayesNetStatistics.pairIndex(Math.min(p, j), Math.max(p, j), d));
      for (int a = 0; a < k[p]; a++) {
        for (int b = 0; b < k[j]; b++) {
          out[off[j] + a * k[j] + b] = p < j ? s.pairs()[base + a * k[j] + b]
              : s.pairs()[base + b * k[p] + a];
        }
      }
    }
    return out;
  }

  @Override
  public boolean portableStatistics() {
    return true;
  }

  @Override
  public Statistics readStatistics(StateReader in, ColumnRanges ranges) {
    Schema schema = in.schema();
    BayesNetStatistics s = (BayesNetStatistics) newStatistics(schema, in.hyperparameters(),
        ranges);
    long rows = in.getLong("rows");
    long outOfRange = in.getLong("out_of_range");
    if (rows < 0 || outOfRange < 0 || outOfRange > rows) {
      throw in.corrupt("'rows' is " + rows + " and 'out_of_range' " + outOfRange
          + "; expected 0 <= out_of_range <= rows");
    }
    int d = schema.size();
    int[] k = s.discretizer().cardinalities();
    long[] marginals = in.getLongs("marginals", s.marginalOffset(d));
    long[] pairs = in.getLongs("pairs", s.pairOffset(BayesNetStatistics.pairCount(d)));
    long counted = rows - outOfRange;
    // every counted row adds one to each feature's counts and to each pair's table, whose row
    // and column sums are then the two features' counts
    for (int f = 0; f < d; f++) {
      long sum = 0;
      for (int i = s.marginalOffset(f); i < s.marginalOffset(f + 1); i++) {
        if (marginals[i] < 0 || marginals[i] > counted - sum) {
          throw in.corrupt("the counts of feature '" + schema.feature(f).name() + "' are"
              + " negative or sum to more than the " + counted + " rows counted");
        }
        sum += marginals[i];
      }
      if (sum != counted) {
        throw in.corrupt("the counts of feature '" + schema.feature(f).name() + "' sum to "
            + sum + "; expected the " + counted + " rows counted");
      }
    }
    for (int i = 0; i < d; i++) {
      for (int j = i + 1; j < d; j++) {
        int base = s.pairOffset(BayesNetStatistics.pairIndex(i, j, d));
        if (!tableMatches(pairs, base, k[i], k[j], marginals, s.marginalOffset(i),
            s.marginalOffset(j))) {
          throw in.corrupt("the pair counts of '" + schema.feature(i).name() + "' and '"
              + schema.feature(j).name() + "' are negative or disagree with their counts");
        }
      }
    }
    s.restore(rows, outOfRange, marginals, pairs);
    return s;
  }

  /**
   * True when the table n(a, b) at {@code t[base + a·kj + b]} is non-negative with row sums
   * {@code m[offI..]} and column sums {@code m[offJ..]}.
   */
  private static boolean tableMatches(long[] t, int base, int ki, int kj, long[] m, int offI,
      int offJ) {
    long[] col = new long[kj];
    for (int a = 0; a < ki; a++) {
      long row = 0;
      for (int b = 0; b < kj; b++) {
        long c = t[base + a * kj + b];
        if (c < 0 || c > m[offI + a] - row) {
          return false;
        }
        row += c;
        col[b] += c;
      }
      if (row != m[offI + a]) {
        return false;
      }
    }
    for (int b = 0; b < kj; b++) {
      if (col[b] != m[offJ + b]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void write(GenerativeModel model, StateWriter out) {
    BayesNetModel m = (BayesNetModel) model;
    out.putLong("rows", m.rows());
    out.putInts("parents", m.parents());
    out.putLongs("counts", m.counts());
    out.putDoubles("lower", m.discretizer().lowerBounds());
    out.putDoubles("upper", m.discretizer().upperBounds());
  }

  @Override
  public GenerativeModel read(StateReader in) {
    Schema schema = in.schema();
    Parameters params = in.hyperparameters();
    int continuous = Discretizer.continuousCount(schema);
    int bins = (int) params.integer("bins");
    if (BayesNetStatistics.pairCells(cardinalities(schema, bins)) > PAIR_LIMIT) {
      throw in.corrupt("the schema has more pairs of values than bayesnet holds ("
          + PAIR_LIMIT + ")");
    }
    Discretizer disc = Discretizer.of(schema, in.getDoubles("lower", continuous),
        in.getDoubles("upper", continuous), bins);
    int d = schema.size();
    int[] k = disc.cardinalities();
    long rows = in.getLong("rows");
    if (rows < 1) {
      throw in.corrupt("'rows' is " + rows + "; expected at least 1");
    }
    int[] parent = in.getInts("parents", d);
    checkForest(in, schema, parent);
    int[] off = BayesNetModel.countOffsets(k, parent);
    long[] counts = in.getLongs("counts", off[d]);
    if (isPrivate(params)) {
      // noisy counts: each in [0, rows], with no relation between the tables
      for (long c : counts) {
        if (c < 0 || c > rows) {
          throw in.corrupt("a count of the private model is " + c + "; expected 0.." + rows);
        }
      }
      return new BayesNetModel(disc, params, parent, counts, rows);
    }
    // each family's table sums to 'rows'; a child's table, summed over the child, gives the
    // parent's value counts (the column sums of the parent's own table)
    long[][] valueCounts = new long[d][];
    for (int j = 0; j < d; j++) {
      long[] col = new long[k[j]];
      long sum = 0;
      for (int i = off[j]; i < off[j + 1]; i++) {
        if (counts[i] < 0 || counts[i] > rows - sum) {
          throw in.corrupt("the counts of feature '" + schema.feature(j).name() + "' are"
              + " negative or sum to more than 'rows' = " + rows);
        }
        sum += counts[i];
        col[(i - off[j]) % k[j]] += counts[i];
      }
      if (sum != rows) {
        throw in.corrupt("the counts of feature '" + schema.feature(j).name() + "' sum to "
            + sum + "; expected 'rows' = " + rows);
      }
      valueCounts[j] = col;
    }
    for (int j = 0; j < d; j++) {
      int p = parent[j];
      if (p < 0) {
        continue;
      }
      for (int a = 0; a < k[p]; a++) {
        long n = 0;
        for (int b = 0; b < k[j]; b++) {
          n += counts[off[j] + a * k[j] + b];
        }
        if (n != valueCounts[p][a]) {
          throw in.corrupt("the counts of feature '" + schema.feature(j).name() + "' disagree"
              + " with those of its parent '" + schema.feature(p).name() + "'");
        }
      }
    }
    return new BayesNetModel(disc, params, parent, counts, rows);
  }

  /** Every parent is -1 or another feature, and following parents never returns to a feature. */
  private static void checkForest(StateReader in, Schema schema, int[] parent) {
    int d = parent.length;
    for (int j = 0; j < d; j++) {
      if (parent[j] < -1 || parent[j] >= d || parent[j] == j) {
        throw in.corrupt("the parent of feature '" + schema.feature(j).name() + "' is "
            + parent[j] + "; expected -1 (a root) or another feature's index in 0.." + (d - 1));
      }
    }
    // 0 unvisited, 1 on the current path, 2 known to reach a root
    byte[] state = new byte[d];
    for (int j = 0; j < d; j++) {
      int f = j;
      while (f >= 0 && state[f] == 0) {
        state[f] = 1;
        f = parent[f];
      }
      if (f >= 0 && state[f] == 1) {
        throw in.corrupt("the parents form a cycle through feature '"
            + schema.feature(f).name() + "'; expected a tree");
      }
      for (f = j; f >= 0 && state[f] == 1; f = parent[f]) {
        state[f] = 2;
      }
    }
  }
}
