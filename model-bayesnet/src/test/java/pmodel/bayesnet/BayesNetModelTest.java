package pmodel.bayesnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;
import pmodel.api.ExactDensity;
import pmodel.api.error.PmodelException;
import pmodel.data.builtin.Outfits;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.ColumnRanges;
import pmodel.api.data.Condition;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Discretizer;
import pmodel.api.data.ProductSpace;
import pmodel.api.data.Schema;
import pmodel.api.sampling.ChiSquare;
import pmodel.eval.Evaluation;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;

/** The mathematics of the Chow-Liu tree network, each part against an independent computation. */
class BayesNetModelTest {
  static final BayesNetProvider PROVIDER = new BayesNetProvider();

  static BayesNetModel fit(Dataset data, int threads, String... settings) {
    Map<String, String> raw = new HashMap<>();
    for (int i = 0; i < settings.length; i += 2) {
      raw.put(settings[i], settings[i + 1]);
    }
    Parameters p = Parameters.parse(BayesNetProvider.ID, PROVIDER.parameters(), raw);
    return (BayesNetModel) PROVIDER.fit(data, p, FitContext.of(3, threads));
  }

  /**
   * Rows from a random tree-shaped network over features of the given cardinalities (a random
   * parent among the earlier features, random conditional tables with Dirichlet(0.3)-like
   * skew), so that features depend on each other with unequal strengths.
   */
  static Dataset randomNetworkRows(int[] k, int n, long seed) {
    UniformRandomProvider rng = RandomStreams.create(seed, 99);
    int d = k.length;
    int[] parent = new int[d];
    double[][][] cpt = new double[d][][];
    for (int j = 0; j < d; j++) {
      parent[j] = j == 0 ? -1 : rng.nextInt(j);
      int kp = parent[j] < 0 ? 1 : k[parent[j]];
      cpt[j] = new double[kp][k[j]];
      for (int a = 0; a < kp; a++) {
        double s = 0;
        for (int b = 0; b < k[j]; b++) {
          double u = rng.nextDouble();
          cpt[j][a][b] = u * u * u + 1e-3;
          s += cpt[j][a][b];
        }
        for (int b = 0; b < k[j]; b++) {
          cpt[j][a][b] /= s;
        }
      }
    }
    DiscreteFeature[] fs = new DiscreteFeature[d];
    Object[] cols = new Object[d];
    for (int j = 0; j < d; j++) {
      fs[j] = DiscreteFeature.integer("x" + j, k[j]);
      cols[j] = k[j] <= 256 ? new byte[n] : new int[n];
    }
    int[] row = new int[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        double[] p = cpt[j][parent[j] < 0 ? 0 : row[parent[j]]];
        double u = rng.nextDouble();
        int b = 0;
        while (b < p.length - 1 && (u -= p[b]) >= 0) {
          b++;
        }
        row[j] = b;
        if (cols[j] instanceof byte[] c) {
          c[i] = (byte) b;
        } else {
          ((int[]) cols[j])[i] = b;
        }
      }
    }
    return Dataset.of(Schema.of(fs), n, cols);
  }

  @Test
  void mutualInformationEqualsAHandComputation() {
    // n = [[30, 10], [10, 50]], N = 100: p(x) = (0.4, 0.6), p(y) = (0.4, 0.6), so
    // I = 0.3 ln(0.3/0.16) + 0.1 ln(0.1/0.24) + 0.1 ln(0.1/0.24) + 0.5 ln(0.5/0.36)
    //   = 0.188583 − 0.087547 − 0.087547 + 0.164252 = 0.177741 nats
    double hand = 0.3 * Math.log(0.3 / 0.16) + 2 * 0.1 * Math.log(0.1 / 0.24)
        + 0.5 * Math.log(0.5 / 0.36);
    long[] table = {7, 30, 10, 10, 50};
    // the code sums n·(ln n + ln N − ln n_a − ln n_b)/N: four logs below 5 per term, each within
    // 1.1e-16 relative, so the two routes differ by at most about 4 · 5 · 1.1e-16 = 2.2e-15
    assertThat(ChowLiu.mutualInformation(table, 1, 2, 2)).isCloseTo(hand, within(1e-14));
    assertThat(hand).isCloseTo(0.177741, within(1e-6));
    // a 2 x 3 table with a zero cell: 0 ln 0 = 0
    // n = [[4, 0, 4], [0, 8, 0]], N = 16: p(x) = (1/2, 1/2), p(y) = (1/4, 1/2, 1/4); Y determines
    // X, so I = H(X) = ln 2
    long[] determined = {4, 0, 4, 0, 8, 0};
    assertThat(ChowLiu.mutualInformation(determined, 0, 2, 3)).isCloseTo(Math.log(2),
        within(1e-14));
    // independent counts give 0, not a negative rounding residue; an empty table gives 0
    assertThat(ChowLiu.mutualInformation(new long[] {3, 6, 9, 18}, 0, 2, 2)).isEqualTo(0.0);
    assertThat(ChowLiu.mutualInformation(new long[4], 0, 2, 2)).isEqualTo(0.0);
  }

  /** Every labelled tree on d nodes, from its Prüfer sequence: the edges as "i-j", i &lt; j. */
  static List<Set<String>> allSpanningTrees(int d) {
    List<Set<String>> trees = new ArrayList<>();
    int[] seq = new int[d - 2];
    long total = (long) Math.pow(d, d - 2);
    for (long code = 0; code < total; code++) {
      long c = code;
      for (int i = 0; i < d - 2; i++) {
        seq[i] = (int) (c % d);
        c /= d;
      }
      int[] degree = new int[d];
      Arrays.fill(degree, 1);
      for (int v : seq) {
        degree[v]++;
      }
      Set<String> edges = new TreeSet<>();
      for (int v : seq) {
        for (int leaf = 0; leaf < d; leaf++) {
          if (degree[leaf] == 1) {
            edges.add(Math.min(leaf, v) + "-" + Math.max(leaf, v));
            degree[leaf]--;
            degree[v]--;
            break;
          }
        }
      }
      int u = -1;
      for (int v = 0; v < d; v++) {
        if (degree[v] == 1) {
          if (u < 0) {
            u = v;
          } else {
            edges.add(u + "-" + v);
          }
        }
      }
      trees.add(edges);
    }
    return trees;
  }

  @Test
  void theTreeIsTheBestOfAllSpanningTreesOnFiveColumns() {
    List<Set<String>> trees = allSpanningTrees(5);
    assertThat(trees).hasSize(125); // Cayley: 5^3 labelled trees
    assertThat(new HashSet<>(trees)).hasSize(125);
    List<Dataset> cases = new ArrayList<>();
    cases.add(Outfits.sample(5000, 1, 0));
    for (int s = 0; s < 12; s++) {
      UniformRandomProvider rng = RandomStreams.create(77, s);
      int[] k = new int[5];
      for (int j = 0; j < 5; j++) {
        k[j] = 2 + rng.nextInt(5);
      }
      cases.add(randomNetworkRows(k, 400 + 300 * s, s));
    }
    for (Dataset data : cases) {
      int d = 5;
      int[] k = new int[d];
      for (int j = 0; j < d; j++) {
        k[j] = data.schema().discrete(j).cardinality();
      }
      // the mutual information of each pair from a plain count of the rows
      double[][] mi = new double[d][d];
      for (int i = 0; i < d; i++) {
        for (int j = i + 1; j < d; j++) {
          long[] t = new long[k[i] * k[j]];
          for (int r = 0; r < data.rows(); r++) {
            t[data.code(r, i) * k[j] + data.code(r, j)]++;
          }
          mi[i][j] = ChowLiu.mutualInformation(t, 0, k[i], k[j]);
        }
      }
      double best = Double.NEGATIVE_INFINITY;
      double second = Double.NEGATIVE_INFINITY;
      Set<String> bestTree = null;
      for (Set<String> tree : trees) {
        double w = 0;
        for (String e : tree) {
          String[] ij = e.split("-");
          w += mi[Integer.parseInt(ij[0])][Integer.parseInt(ij[1])];
        }
        if (w > best) {
          second = best;
          best = w;
          bestTree = tree;
        } else if (w > second) {
          second = w;
        }
      }
      BayesNetModel m = fit(data, 2);
      int[] parent = m.parents();
      Set<String> edges = new TreeSet<>();
      double total = 0;
      for (int j = 0; j < d; j++) {
        if (parent[j] >= 0) {
          edges.add(Math.min(j, parent[j]) + "-" + Math.max(j, parent[j]));
          total += m.mutualInformation(j);
        }
      }
      assertThat(total).isCloseTo(best, within(1e-12));
      // the optimum is unique in these cases (checked), so the edge sets must agree
      assertThat(best - second).isGreaterThan(1e-9);
      assertThat(edges).isEqualTo(bestTree);
    }
  }

  static double[] probabilities(ExactDensity m) {
    double[] logP = m.logDensities(Evaluation.allCells(m.schema()));
    double[] p = new double[logP.length];
    for (int i = 0; i < p.length; i++) {
      assertThat(logP[i]).isNotNaN();
      p[i] = Math.exp(logP[i]);
    }
    return p;
  }

  static double sum(double[] p) {
    double s = 0;
    for (double v : p) {
      s += v;
    }
    return s;
  }

  @Test
  void probabilitiesOfAllCellsSumToOne() {
    // each cell's probability is a product of 5 table entries (relative rounding ~5e-16); the sum
    // over 4032 cells adds at most 4032 · 1.1e-16 relative: 1e-12 is far above both
    for (String alpha : new String[] {"0", "0.5", "1", "7"}) {
      assertThat(sum(probabilities(fit(Outfits.sample(300, 4, 0), 2, "alpha", alpha))))
          .as("alpha=" + alpha).isCloseTo(1.0, within(1e-12));
    }
    int[] k = {2, 3, 4, 2, 5, 3};
    assertThat(sum(probabilities(fit(randomNetworkRows(k, 200, 5), 1)))).isCloseTo(1.0,
        within(1e-12));
  }

  @Test
  void logProbabilityIsTheProductOfTheSmoothedConditionalTables() {
    Dataset data = Outfits.sample(700, 8, 0);
    BayesNetModel m = fit(data, 2, "alpha", "0.25");
    int[] parent = m.parents();
    Dataset test = Outfits.sample(300, 8, 1);
    double[] scores = m.logDensities(test);
    for (int r = 0; r < test.rows(); r++) {
      double expected = 0;
      for (int j = 0; j < 5; j++) {
        int kj = data.schema().discrete(j).cardinality();
        int b = test.code(r, j);
        long nab = 0;
        long na = 0;
        for (int i = 0; i < data.rows(); i++) {
          boolean parentMatches = parent[j] < 0
              || data.code(i, parent[j]) == test.code(r, parent[j]);
          if (parentMatches) {
            na++;
            nab += data.code(i, j) == b ? 1 : 0;
          }
        }
        expected += Math.log((nab + 0.25) / (na + 0.25 * kj));
      }
      assertThat(scores[r]).isCloseTo(expected, within(1e-12));
    }
    // free parameters: (K_root − 1) + Σ_children K_parent (K_child − 1)
    long free = 0;
    for (int j = 0; j < 5; j++) {
      int kj = data.schema().discrete(j).cardinality();
      free += (parent[j] < 0 ? 1 : data.schema().discrete(parent[j]).cardinality()) * (kj - 1);
    }
    assertThat(m.freeParameters()).isEqualTo(BigInteger.valueOf(free));
  }

  static long[] cellCounts(Dataset d) {
    ProductSpace space = ProductSpace.of(d.schema());
    long[] counts = new long[(int) space.size()];
    for (int i = 0; i < d.rows(); i++) {
      counts[(int) space.index(d, i)]++;
    }
    return counts;
  }

  @Test
  void conditionalSamplesFollowTheExactConditionalsByEnumeration() {
    BayesNetModel m = fit(Outfits.sample(5000, 2, 0), 2);
    Schema s = m.schema();
    ProductSpace space = ProductSpace.of(s);
    double[] joint = probabilities(m);
    // single features, a root, leaves, internal nodes, pairs and triples, all five but one
    int[][] subsets = {{0}, {1}, {2}, {3}, {4}, {0, 4}, {1, 3}, {2, 3}, {0, 2, 4}, {1, 2, 3},
        {0, 1, 2, 3}};
    UniformRandomProvider rng = RandomStreams.create(5, 0);
    for (int[] features : subsets) {
      int[] codes = new int[features.length];
      for (int i = 0; i < features.length; i++) {
        codes[i] = rng.nextInt(s.discrete(features[i]).cardinality());
      }
      Condition given = Condition.ofCodes(s, features, codes);
      double[] p = joint.clone();
      int[] cell = new int[5];
      for (int c = 0; c < p.length; c++) {
        space.decode(c, cell);
        for (int i = 0; i < features.length; i++) {
          if (cell[features[i]] != codes[i]) {
            p[c] = 0;
          }
        }
      }
      Dataset sample = m.sample(100_000, given, 40 + features.length, 2);
      for (int i = 0; i < features.length; i++) {
        for (int r = 0; r < sample.rows(); r++) {
          assertThat(sample.code(r, features[i])).isEqualTo(codes[i]);
        }
      }
      // significance 0.001 per test: 11 tests reject a correct sampler with probability 1.1%
      ChiSquare.Result res = ChiSquare.test(cellCounts(sample), p);
      assertThat(res.pValue()).as(Arrays.toString(features) + " " + res)
          .isGreaterThan(ChiSquare.SIGNIFICANCE);
    }
  }

  @Test
  void jointSamplesFollowTheModelsProbabilities() {
    BayesNetModel m = fit(Outfits.sample(2000, 6, 0), 2);
    ChiSquare.Result r = ChiSquare.test(cellCounts(m.sample(100_000, 17, 2)), probabilities(m));
    assertThat(r.pValue()).as(r.toString()).isGreaterThan(ChiSquare.SIGNIFICANCE);
  }

  @Test
  void maximumLikelihoodWithAParentValueNeverSeenGivesNoNaN() {
    // a has levels x, y, z but z never occurs; b copies a; c is free. With alpha = 0 the table
    // row of b given a = z is 0/0: it becomes uniform, and every cell with a = z still has
    // probability exactly zero because P(a = z) = 0.
    Schema s = Schema.of(DiscreteFeature.categorical("a", List.of("x", "y", "z")),
        DiscreteFeature.categorical("b", List.of("x", "y", "z")), DiscreteFeature.integer("c", 2));
    byte[] a = {0, 0, 1, 0, 1, 1, 0, 0};
    byte[] b = {0, 0, 1, 0, 1, 1, 0, 1};
    byte[] c = {0, 1, 0, 1, 1, 0, 0, 1};
    Dataset data = Dataset.of(s, 8, new Object[] {a, b, c});
    BayesNetModel m = fit(data, 1, "alpha", "0");
    double[] logP = m.logDensities(Evaluation.allCells(s));
    double total = 0;
    for (int i = 0; i < logP.length; i++) {
      assertThat(logP[i]).isNotNaN().isNotEqualTo(Double.POSITIVE_INFINITY);
      total += Math.exp(logP[i]);
    }
    assertThat(total).isCloseTo(1.0, within(1e-12));
    // cells with a = z (indices 12..17 of 3·3·2) have probability zero
    for (int i = 12; i < 18; i++) {
      assertThat(logP[i]).isEqualTo(Double.NEGATIVE_INFINITY);
    }
    int[] parent = m.parents();
    for (int j = 0; j < 3; j++) {
      if (parent[j] == 0) {
        int kj = s.discrete(j).cardinality();
        for (int v = 0; v < kj; v++) {
          assertThat(m.theta(j, 2, v)).isCloseTo(1.0 / kj, within(1e-15));
        }
      }
    }
    Dataset sample = m.sample(1000, 3, 1);
    for (int r = 0; r < sample.rows(); r++) {
      assertThat(sample.code(r, 0)).isNotEqualTo(2);
    }
    assertThat(Evaluation.exactNll(m, Evaluation.allCells(s), 1).infinite()).isTrue();
    assertThatThrownBy(() -> m.sample(5, Condition.parse(s, Map.of("a", "z")), 1, 1))
        .isInstanceOf(PmodelException.class).hasMessage("--given a=z has probability zero under"
            + " the model; cannot condition on it");
    // b = z never occurs, so no value of a explains it
    assertThatThrownBy(() -> m.sample(5, Condition.parse(s, Map.of("a", "x", "b", "z")), 1, 1))
        .isInstanceOf(PmodelException.class).hasMessageContaining("has probability zero");
  }

  @Test
  void bitSetCountingEqualsCountingEveryRow() {
    // cardinalities on both sides of BIT_LEVELS = 8, and one above 256 (int storage); rows
    // spanning two blocks and not a multiple of 64
    int[] k = {2, 8, 9, 3, 300, 7, 2, 5};
    Dataset data = randomNetworkRows(k, BayesNetStatistics.BLOCK + 1234, 3);
    Discretizer disc = Discretizer.of(data.schema(), ColumnRanges.of(data), 10);
    BayesNetStatistics fast = new BayesNetStatistics(disc, true);
    BayesNetStatistics plain = new BayesNetStatistics(disc, false);
    fast.add(data, 5, data.rows());
    plain.add(data, 5, data.rows());
    assertThat(fast.pairs()).isEqualTo(plain.pairs());
    assertThat(fast.marginals()).isEqualTo(plain.marginals());
    // and the plain path against a nested loop over the rows
    int d = k.length;
    for (int i = 0; i < d; i++) {
      for (int j = i + 1; j < d; j++) {
        long[] t = new long[k[i] * k[j]];
        for (int r = 5; r < data.rows(); r++) {
          t[data.code(r, i) * k[j] + data.code(r, j)]++;
        }
        int off = plain.pairOffset(BayesNetStatistics.pairIndex(i, j, d));
        assertThat(Arrays.copyOfRange(plain.pairs(), off, off + t.length))
            .as("pair %d,%d", i, j).isEqualTo(t);
      }
    }
  }

  @Test
  void fitAndSamplesAreIndependentOfTheThreadCount() {
    int[] k = {2, 3, 4, 2, 9, 3, 2, 2, 4, 5};
    Dataset data = randomNetworkRows(k, 50_000, 8);
    BayesNetModel one = fit(data, 1);
    BayesNetModel two = fit(data, 2);
    BayesNetModel three = fit(data, 3);
    assertThat(one.counts()).isEqualTo(two.counts()).isEqualTo(three.counts());
    assertThat(one.parents()).isEqualTo(two.parents()).isEqualTo(three.parents());
    assertThat(one.sample(40_000, 5, 1).fingerprint())
        .isEqualTo(two.sample(40_000, 5, 2).fingerprint())
        .isNotEqualTo(two.sample(40_000, 6, 2).fingerprint());
    Condition given = Condition.ofCodes(data.schema(), new int[] {4, 7}, new int[] {3, 1});
    assertThat(one.sample(20_000, given, 5, 1).fingerprint())
        .isEqualTo(three.sample(20_000, given, 5, 3).fingerprint());
  }

  @Test
  void continuousFeaturesAreBinnedIntoAProperDensity() {
    Schema s = Schema.of(new ContinuousFeature("x"), DiscreteFeature.integer("k", 2));
    double[] x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 10};
    byte[] kk = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
    BayesNetModel m = fit(Dataset.of(s, 10, new Object[] {x, kk}), 1, "bins", "5", "alpha", "0");
    // bins of width 2 over [0, 10]; x is the root: p(bin [0,2)) = 2/10, density 0.1; k given
    // that bin is 0 with probability 1
    double[] logP = m.logDensities(Dataset.of(s, 3, new Object[] {new double[] {1.5, 1.5, 11},
        new byte[] {0, 1, 0}}));
    assertThat(logP[0]).isCloseTo(Math.log(0.1), within(1e-15));
    assertThat(logP[1]).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(logP[2]).isEqualTo(Double.NEGATIVE_INFINITY);
    // 4 free for the root's 5 bins, 5·1 for k given the bin, 2 bin bounds
    assertThat(m.freeParameters()).isEqualTo(BigInteger.valueOf(4 + 5 + 2));
    Dataset given = m.sample(1000, Condition.parse(s, Map.of("x", "9.5")), 1, 1);
    for (int r = 0; r < 1000; r++) {
      assertThat(given.value(r, 0)).isEqualTo(9.5);
      assertThat(given.code(r, 1)).isEqualTo(1);
    }
  }

  @Test
  void describeListsTheEdgesByMutualInformation() {
    BayesNetModel m = fit(Outfits.sample(5000, 1, 0), 2);
    List<String> lines = m.describe(10);
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0)).startsWith("Chow-Liu tree: 4 edges, total mutual information ")
        .endsWith("root accessories");
    double previous = Double.POSITIVE_INFINITY;
    for (String line : lines.subList(1, 5)) {
      assertThat(line).matches("[a-z_]+ -> [a-z_]+: I = [0-9.]+ nats");
      double mi = Double.parseDouble(line.replaceAll(".*I = ([0-9.]+) nats", "$1"));
      assertThat(mi).isLessThanOrEqualTo(previous);
      previous = mi;
    }
    assertThat(m.describe(2)).hasSize(2);
  }

  @Test
  void anEmptyDataSetAndATooLargeSchemaAreRefused() {
    assertThatThrownBy(() -> fit(Outfits.sample(5, 1, 0).slice(0, 0), 1))
        .isInstanceOf(PmodelException.class).hasMessageContaining("the data set is empty");
    Parameters defaults = Parameters.defaults(PROVIDER.parameters());
    assertThat(PROVIDER.supports(Schema.image(28, 28, 256), defaults).reason())
        .contains("2.01e+10 cells");
    assertThat(PROVIDER.supports(Schema.image(28, 28, 8), defaults).supported()).isTrue();
    assertThat(PROVIDER.supports(Schema.image(28, 28, 16), defaults).supported()).isFalse();
  }
}
