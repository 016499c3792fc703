package pmodel.bayesnet;

import java.util.Arrays;
import java.util.Random;

/**
 * ε-differential privacy for the tree network, as PrivBayes (Zhang, Cormode, Procopiuc,
 * Srivastava, Xiao 2017) and DataSynthesizer do it, for neighbouring data sets of the same size
 * N that differ in one row (N itself is published). Half the budget chooses the structure, half
 * perturbs the counts:
 *
 * <ul>
 *   <li>Structure: Prim's algorithm where each of the d − 1 steps picks the next edge (a feature
 *       in the tree, one outside) by the exponential mechanism with ε₁/(d − 1): probability ∝
 *       exp(ε₁/(d − 1) · I / (2Δ)), Δ the sensitivity of the empirical mutual information
 *       (PrivBayes lemma 4.1: (1/N) ln N + ((N − 1)/N) ln(N/(N − 1)) when a feature of the pair
 *       is binary, else (2/N) ln((N + 1)/2) + ((N − 1)/N) ln((N + 1)/(N − 1))).</li>
 *   <li>Counts: the d tables of the tree (the root's value counts and one pair table per edge)
 *       each change by at most 2 in L1 norm when one row is replaced; Laplace noise of scale
 *       2d/ε₂ on every cell makes all of them ε₂-private together. The noisy counts are rounded
 *       and clamped to [0, N] (post-processing, which keeps the guarantee).</li>
 * </ul>
 *
 * <p>The noise must not be reproducible from anything published: pmodel writes the fit's seed
 * into the model file, so a seeded stream would let anyone subtract the noise. The caller
 * therefore passes a {@link java.security.SecureRandom}, and private fits are not repeatable.
 */
final class Privacy {
  private Privacy() {
  }

  /** The sensitivity of the empirical mutual information of a pair, N rows (PrivBayes 4.1). */
  static double sensitivity(long n, boolean binary) {
    if (n <= 1) {
      return Math.log(2); // any change: the bound of the formula's limit, for a single row
    }
    double nn = n;
    if (binary) {
      return Math.log(nn) / nn + (nn - 1) / nn * Math.log(nn / (nn - 1));
    }
    return 2 / nn * Math.log((nn + 1) / 2) + (nn - 1) / nn * Math.log((nn + 1) / (nn - 1));
  }

  /**
   * The tree chosen by the exponential mechanism with budget {@code epsilon} in all, rooted at
   * feature 0 (a choice that does not depend on the data). {@code mi[pairIndex(i, j)]} is the
   * empirical mutual information, {@code k} the cardinalities.
   */
  static int[] exponentialTree(double[] mi, int[] k, long n, double epsilon, Random rng) {
    int d = k.length;
    int[] parent = new int[d];
    Arrays.fill(parent, -1);
    if (d <= 1) {
      return parent;
    }
    double perStep = epsilon / (d - 1);
    double deltaBinary = sensitivity(n, true);
    double deltaOther = sensitivity(n, false);
    boolean[] inTree = new boolean[d];
    inTree[0] = true;
    int[] members = new int[d];
    members[0] = 0;
    int size = 1;
    // candidates per step: size · (d − size) ≤ d²/4
    double[] logWeight = new double[d * d / 4 + 1];
    int[] from = new int[logWeight.length];
    int[] to = new int[logWeight.length];
    while (size < d) {
      int c = 0;
      double max = Double.NEGATIVE_INFINITY;
      for (int m = 0; m < size; m++) {
        int u = members[m];
        for (int v = 0; v < d; v++) {
          if (inTree[v]) {
            continue;
          }
          double delta = k[u] <= 2 || k[v] <= 2 ? deltaBinary : deltaOther;
          double score = mi[BayesNetStatistics.pairIndex(Math.min(u, v), Math.max(u, v), d)]
              / (2 * delta);
          logWeight[c] = score;
          from[c] = u;
          to[c] = v;
          max = Math.max(max, score);
          c++;
        }
      }
      // log weights ε_step·score, shifted by the largest before multiplying so that a budget
      // near Double.MAX_VALUE cannot overflow: (score − max)·ε_step ≤ 0
      for (int i = 0; i < c; i++) {
        logWeight[i] = (logWeight[i] - max) * perStep;
      }
      int pick = sample(logWeight, c, 0, rng);
      parent[to[pick]] = from[pick];
      inTree[to[pick]] = true;
      members[size++] = to[pick];
    }
    return parent;
  }

  /** An index in [0, c) drawn with probability ∝ exp(logWeight[i] − max). */
  static int sample(double[] logWeight, int c, double max, Random rng) {
    double total = 0;
    for (int i = 0; i < c; i++) {
      total += Math.exp(logWeight[i] - max);
    }
    double u = rng.nextDouble() * total;
    for (int i = 0; i < c; i++) {
      u -= Math.exp(logWeight[i] - max);
      if (u < 0) {
        return i;
      }
    }
    return c - 1; // rounding left a sliver of u: the last candidate
  }

  /**
   * Adds Laplace noise of scale 2d/ε to every family count ({@code d} tables in all), then rounds
   * and clamps each to [0, n].
   */
  static void perturbCounts(long[] counts, int d, long n, double epsilon, Random rng) {
    double scale = 2.0 * d / epsilon;
    for (int i = 0; i < counts.length; i++) {
      double v = counts[i] + laplace(scale, rng);
      // Math.round maps NaN to 0 and +Infinity to Long.MAX_VALUE: both end inside [0, n]
      counts[i] = Math.min(n, Math.max(0, Math.round(v)));
    }
  }

  /** A Laplace(0, b) draw by inversion: −b·sign(u)·ln(1 − 2|u|), u uniform in [−1/2, 1/2). */
  static double laplace(double b, Random rng) {
    double u = rng.nextDouble() - 0.5;
    return -b * Math.signum(u) * Math.log(1 - 2 * Math.abs(u));
  }
}
