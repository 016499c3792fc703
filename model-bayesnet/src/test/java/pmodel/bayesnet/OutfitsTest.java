package pmodel.bayesnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pmodel.data.builtin.Outfits;
import pmodel.api.data.Dataset;
import pmodel.api.data.ProductSpace;
import pmodel.api.data.Schema;
import pmodel.eval.Evaluation;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;

/**
 * Why the model exists: on 'outfits' (P_data a mixture of five styles, so every feature depends
 * on the others), the tree sits between the histogram (4,031 parameters, starved at 5,000 rows)
 * and naive Bayes (23 parameters, blind to dependencies). The two are computed here by their
 * formulas at their default smoothing (α = 1), so this module depends on no other plugin.
 */
class OutfitsTest {
  static final int TRAIN = 5000;
  static final int TEST = 20_000;
  static final Schema SCHEMA = Outfits.schema();
  static final ProductSpace SPACE = ProductSpace.of(SCHEMA);
  static final int[] K = SPACE.cardinalities();

  static Dataset train;
  static Dataset test;
  static double[] pData;
  static BayesNetModel tree;

  @BeforeAll
  static void fit() {
    train = Outfits.sample(TRAIN, 1, 0);
    test = Outfits.sample(TEST, 1, 1);
    pData = Outfits.probabilities();
    BayesNetProvider p = new BayesNetProvider();
    tree = (BayesNetModel) p.fit(train, Parameters.defaults(p.parameters()), FitContext.of(1, 2));
  }

  /** log θ_cell of the histogram, (n_cell + 1)/(N + 4032), for every cell. */
  static double[] histogramLogP() {
    long[] n = new long[(int) SPACE.size()];
    for (int i = 0; i < train.rows(); i++) {
      n[(int) SPACE.index(train, i)]++;
    }
    double[] out = new double[n.length];
    for (int c = 0; c < n.length; c++) {
      out[c] = Math.log((n[c] + 1.0) / (TRAIN + n.length));
    }
    return out;
  }

  /** log Π_k (n_kl + 1)/(N + K_k) of naive Bayes, for every cell. */
  static double[] naiveBayesLogP() {
    long[][] n = new long[K.length][];
    for (int f = 0; f < K.length; f++) {
      n[f] = new long[K[f]];
      for (int i = 0; i < train.rows(); i++) {
        n[f][train.code(i, f)]++;
      }
    }
    double[] out = new double[(int) SPACE.size()];
    int[] codes = new int[K.length];
    for (int c = 0; c < out.length; c++) {
      SPACE.decode(c, codes);
      for (int f = 0; f < K.length; f++) {
        out[c] += Math.log((n[f][codes[f]] + 1.0) / (TRAIN + K[f]));
      }
    }
    return out;
  }

  static double kl(double[] logQ) {
    double kl = 0;
    for (int c = 0; c < pData.length; c++) {
      kl += pData[c] * (Math.log(pData[c]) - logQ[c]);
    }
    return kl;
  }

  /**
   * The tree model's held-out NLL is below the histogram's and naive Bayes's, by more than five
   * standard errors of the paired per-row difference (a one-sided z-test at about 3e-7), and so
   * is its exact KL from P_data.
   */
  @Test
  void theTreeBeatsTheHistogramAndNaiveBayesAtFiveThousandRows() {
    double[] cellsTree = tree.logDensities(Evaluation.allCells(SCHEMA));
    double[] hist = histogramLogP();
    double[] nb = naiveBayesLogP();
    double klTree = Evaluation.klDivergence(pData, tree);
    assertThat(klTree).isCloseTo(kl(cellsTree), within(1e-12));
    double klHist = kl(hist);
    double klNb = kl(nb);
    double[] rowTree = tree.logDensities(test);
    for (double[] other : new double[][] {hist, nb}) {
      // paired differences d_i = log p_tree(x_i) − log p_other(x_i) over the held-out rows
      double s = 0;
      double s2 = 0;
      for (int i = 0; i < TEST; i++) {
        double di = rowTree[i] - other[(int) SPACE.index(test, i)];
        s += di;
        s2 += di * di;
      }
      double mean = s / TEST;
      double se = Math.sqrt((s2 / TEST - mean * mean) / (TEST - 1));
      assertThat(mean).as("NLL gain %.4f nats, standard error %.4f", mean, se)
          .isGreaterThan(5 * se);
    }
    assertThat(klTree).isLessThan(klHist).isLessThan(klNb);
    double nllTree = -mean(rowTree);
    System.out.printf("outfits, %d training rows, %d held-out rows:%n", TRAIN, TEST);
    System.out.printf("  bayesnet   free %5s  KL %.4f  NLL %.4f%n", tree.freeParameters(),
        klTree, nllTree);
    System.out.printf("  histogram  free %5d  KL %.4f  NLL %.4f%n", SPACE.size() - 1, klHist,
        heldOut(hist));
    System.out.printf("  naive Bayes free %4d  KL %.4f  NLL %.4f%n", 23, klNb, heldOut(nb));
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  static double heldOut(double[] cellLogP) {
    double s = 0;
    for (int i = 0; i < TEST; i++) {
      s += cellLogP[(int) SPACE.index(test, i)];
    }
    return -s / TEST;
  }

  /**
   * No tree-shaped distribution is closer to P_data than P_data's own Chow-Liu tree with P_data's
   * conditionals (the projection theorem of Chow and Liu): the fitted tree's exact KL cannot be
   * below that floor, and with 5,000 rows its excess over it is of the order of its free
   * parameters over 2N.
   */
  @Test
  void theFittedTreeIsNoCloserToPDataThanPDatasOwnTree() {
    int d = K.length;
    int[] codes = new int[d];
    double[][] pairTables = new double[BayesNetStatistics.pairCount(d)][];
    double[][] marg = new double[d][];
    for (int f = 0; f < d; f++) {
      marg[f] = new double[K[f]];
    }
    for (int i = 0; i < d; i++) {
      for (int j = i + 1; j < d; j++) {
        pairTables[BayesNetStatistics.pairIndex(i, j, d)] = new double[K[i] * K[j]];
      }
    }
    for (int c = 0; c < pData.length; c++) {
      SPACE.decode(c, codes);
      for (int i = 0; i < d; i++) {
        marg[i][codes[i]] += pData[c];
        for (int j = i + 1; j < d; j++) {
          pairTables[BayesNetStatistics.pairIndex(i, j, d)][codes[i] * K[j] + codes[j]]
              += pData[c];
        }
      }
    }
    double[] mi = new double[pairTables.length];
    for (int i = 0; i < d; i++) {
      for (int j = i + 1; j < d; j++) {
        double[] t = pairTables[BayesNetStatistics.pairIndex(i, j, d)];
        for (int a = 0; a < K[i]; a++) {
          for (int b = 0; b < K[j]; b++) {
            double p = t[a * K[j] + b];
            mi[BayesNetStatistics.pairIndex(i, j, d)] += p * Math.log(p / (marg[i][a]
                * marg[j][b]));
          }
        }
      }
    }
    int[] parent = ChowLiu.maximumSpanningTree(mi, d);
    // KL(P || P's tree) = Σ_f H(X_f) − Σ_edges I − H(P)
    double floor = 0;
    for (int f = 0; f < d; f++) {
      for (double p : marg[f]) {
        floor -= p * Math.log(p);
      }
      if (parent[f] >= 0) {
        floor -= mi[BayesNetStatistics.pairIndex(Math.min(f, parent[f]), Math.max(f, parent[f]),
            d)];
      }
    }
    for (double p : pData) {
      floor += p * Math.log(p);
    }
    double klTree = Evaluation.klDivergence(pData, tree);
    assertThat(klTree).isGreaterThanOrEqualTo(floor);
    BigInteger free = tree.freeParameters();
    // With 5,000 rows the empirical tree is P_data's own tree, and the excess KL of the fitted
    // tables is asymptotically χ²_df/(2N) with df = the free parameters (Wilks; an approximation
    // for a misspecified family): mean df/(2N), standard deviation sqrt(2·df)/(2N). Ten standard
    // deviations above the mean is the bound.
    assertThat(tree.parents()).isEqualTo(parent);
    double df = free.doubleValue();
    assertThat(klTree - floor).isLessThan((df + 10 * Math.sqrt(2 * df)) / (2.0 * TRAIN));
    System.out.printf("  P_data's own Chow-Liu tree: KL %.4f (floor); fitted %.4f; free/2N = %.4f;"
        + " same tree: %b%n", floor, klTree, free.doubleValue() / (2.0 * TRAIN),
        Arrays.equals(parent, tree.parents()));
  }
}
