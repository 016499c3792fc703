package pmodel.bayesnet;

import java.util.Arrays;

/**
 * The Chow-Liu tree (Chow &amp; Liu 1968): among all trees over the features, the one whose
 * maximum-likelihood fit has the highest likelihood is the maximum spanning tree of the
 * empirical mutual information of every pair, because the tree's log-likelihood is
 * N·(Σ_edges I(X_i; X_j) − Σ_features H(X_f)).
 */
final class ChowLiu {
  private ChowLiu() {
  }

  /**
   * The empirical mutual information in nats of a contingency table n(a, b) at
   * {@code table[off + a·kj + b]}: Σ n_ab/N · log(n_ab·N / (n_a·n_b)), with 0 log 0 = 0.
   * Zero for an empty table.
   */
  static double mutualInformation(long[] table, int off, int ki, int kj) {
    long[] row = new long[ki];
    long[] col = new long[kj];
    long n = 0;
    for (int a = 0; a < ki; a++) {
      for (int b = 0; b < kj; b++) {
        long c = table[off + a * kj + b];
        row[a] += c;
        col[b] += c;
        n += c;
      }
    }
    if (n == 0) {
      return 0;
    }
    double logN = Math.log(n);
    double sum = 0;
    for (int a = 0; a < ki; a++) {
      if (row[a] == 0) {
        continue;
      }
      double logRow = Math.log(row[a]);
      for (int b = 0; b < kj; b++) {
        long c = table[off + a * kj + b];
        if (c != 0) {
          sum += c * (Math.log(c) + logN - logRow - Math.log(col[b]));
        }
      }
    }
    // rounding can make an independent table's sum a hair below zero; MI is never negative
    return Math.max(0, sum / n);
  }

  /**
   * The maximum spanning tree of a complete graph (Prim's algorithm, O(d²)), rooted at feature
   * 0: {@code parent[f]} is f's parent, -1 for the root. {@code weight[pairIndex(i, j)]} is the
   * weight of edge {i, j}. Ties go to the lower feature index, so the tree is a function of the
   * weights alone.
   */
  static int[] maximumSpanningTree(double[] weight, int d) {
    int[] parent = new int[d];
    double[] best = new double[d];
    boolean[] inTree = new boolean[d];
    Arrays.fill(best, Double.NEGATIVE_INFINITY);
    Arrays.fill(parent, -1);
    if (d == 0) {
      return parent;
    }
    inTree[0] = true;
    int last = 0;
    for (int added = 1; added < d; added++) {
      for (int f = 0; f < d; f++) {
        if (!inTree[f]) {
          double w = weight[last < f ? BayesNetStatistics.pairIndex(last, f, d)
              : BayesNetStatistics.pairIndex(f, last, d)];
          if (w > best[f]) {
            best[f] = w;
            parent[f] = last;
          }
        }
      }
      int next = -1;
      for (int f = 0; f < d; f++) {
        if (!inTree[f] && (next < 0 || best[f] > best[next])) {
          next = f;
        }
      }
      inTree[next] = true;
      last = next;
    }
    return parent;
  }
}
