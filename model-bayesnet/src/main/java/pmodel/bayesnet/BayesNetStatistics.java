package pmodel.bayesnet;

import java.util.Arrays;
import pmodel.api.data.Dataset;
import pmodel.api.data.Discretizer;
import pmodel.api.spi.StateWriter;
import pmodel.api.spi.Statistics;

/**
 * The sufficient statistics of every tree over the features: the value counts of each feature
 * and the contingency table of every pair of features. The Chow-Liu tree needs the mutual
 * information of every pair, and each family of a tree (a child and its parent) is a pair, so
 * one pass of pair counts gives both the structure and the conditional tables. Integer counts
 * merge exactly, in any order and partition.
 *
 * <p>Layout: pair (i, j), i &lt; j, has index {@link #pairIndex}; its table starts at
 * {@code pairOffset[index]} and holds n(x_i = a, x_j = b) at {@code a·K_j + b}.
 *
 * <p>Cost: Σ_{i&lt;j} K_i·K_j longs of memory. Counting a pair costs one table increment per row,
 * except for pairs of features with at most {@link #BIT_LEVELS} values, which are counted with
 * bit sets: one bit set per (feature, value) and block of rows, and n(a, b) = popcount(B_ia ∧
 * B_jb), (K_i − 1)(K_j − 1) AND-popcounts per 64 rows (the last row and column of the table follow
 * from the marginals). For binary features that is 64 times fewer operations than incrementing.
 */
final class BayesNetStatistics implements Statistics {
  /** Rows per counting block: 8192 rows are 128 words per bit set. */
  static final int BLOCK = 8192;
  /** Features with at most this many values are counted with bit sets. */
  static final int BIT_LEVELS = 8;

  private final Discretizer disc;
  private final int d;
  private final int[] k;
  private final int[] marginalOffset;
  private final int[] pairOffset;
  private final long[] marginals;
  private final long[] pairs;
  private long rows;
  private long outOfRange;
  private final boolean bitSets;
  /** (K_i − 1)(K_j − 1) AND-popcount results of one pair; at most 7 · 7. */
  private final long[] scratch = new long[(BIT_LEVELS - 1) * (BIT_LEVELS - 1)];

  BayesNetStatistics(Discretizer disc) {
    this(disc, true);
  }

  /** {@code bitSets} false counts every pair by increments (for the test of the bit-set path). */
  BayesNetStatistics(Discretizer disc, boolean bitSets) {
    this.disc = disc;
    this.d = disc.schema().size();
    this.k = disc.cardinalities();
    this.bitSets = bitSets;
    this.marginalOffset = new int[d + 1];
    for (int f = 0; f < d; f++) {
      marginalOffset[f + 1] = Math.addExact(marginalOffset[f], k[f]);
    }
    int p = pairCount(d);
    this.pairOffset = new int[p + 1];
    int idx = 0;
    for (int i = 0; i < d; i++) {
      for (int j = i + 1; j < d; j++) {
        pairOffset[idx + 1] = Math.addExact(pairOffset[idx], Math.multiplyExact(k[i], k[j]));
        idx++;
      }
    }
    this.marginals = new long[marginalOffset[d]];
    this.pairs = new long[pairOffset[p]];
  }

  /** d(d − 1)/2. */
  static int pairCount(int d) {
    return (int) ((long) d * (d - 1) / 2);
  }

  /** The index of pair (i, j), i &lt; j, in lexicographic order. */
  static int pairIndex(int i, int j, int d) {
    return (int) ((long) i * (2L * d - i - 1) / 2 + (j - i - 1));
  }

  /** Σ_{i&lt;j} K_i·K_j: the number of pair counts, computed without overflow. */
  static double pairCells(int[] k) {
    double s = 0;
    double s2 = 0;
    for (int v : k) {
      s += v;
      s2 += (double) v * v;
    }
    return (s * s - s2) / 2;
  }

  Discretizer discretizer() {
    return disc;
  }

  long[] marginals() {
    return marginals;
  }

  long[] pairs() {
    return pairs;
  }

  int marginalOffset(int f) {
    return marginalOffset[f];
  }

  int pairOffset(int index) {
    return pairOffset[index];
  }

  /** Rows with a continuous value outside the binned range: counted in {@link #rows()} only. */
  long outOfRange() {
    return outOfRange;
  }

  @Override
  public long rows() {
    return rows;
  }

  @Override
  public void add(Dataset data, int from, int to) {
    int[][] codes = new int[d][Math.min(BLOCK, Math.max(0, to - from))];
    long[][] bits = new long[d][];
    int[] blockMarginals = new int[marginals.length];
    for (int start = from; start < to; start += BLOCK) {
      int end = Math.min(to, start + BLOCK);
      for (int f = 0; f < d; f++) {
        Codes.read(disc, data, f, start, end, codes[f]);
      }
      int len = compact(codes, end - start);
      outOfRange += end - start - len;
      rows += end - start;
      Arrays.fill(blockMarginals, 0);
      for (int f = 0; f < d; f++) {
        int[] c = codes[f];
        int off = marginalOffset[f];
        for (int r = 0; r < len; r++) {
          blockMarginals[off + c[r]]++;
        }
      }
      for (int m = 0; m < marginals.length; m++) {
        marginals[m] += blockMarginals[m];
      }
      int words = (len + 63) >>> 6;
      for (int f = 0; f < d; f++) {
        if (bitSets && k[f] <= BIT_LEVELS) {
          bits[f] = bitSet(codes[f], len, k[f], words, bits[f]);
        }
      }
      int idx = 0;
      for (int i = 0; i < d; i++) {
        for (int j = i + 1; j < d; j++) {
          if (bitSets && k[i] <= BIT_LEVELS && k[j] <= BIT_LEVELS) {
            countBits(bits[i], bits[j], k[i], k[j], words, blockMarginals, marginalOffset[i],
                marginalOffset[j], len, pairOffset[idx]);
          } else {
            countDirect(codes[i], codes[j], len, k[j], pairOffset[idx]);
          }
          idx++;
        }
      }
    }
  }

  /**
   * Drops the rows that hold a value outside the binned range (code -1) from every column;
   * returns the number of rows kept. Only continuous features can hold -1.
   */
  private int compact(int[][] codes, int len) {
    boolean any = false;
    for (int f = 0; f < d && !any; f++) {
      if (disc.binned(f)) {
        for (int r = 0; r < len && !any; r++) {
          any = codes[f][r] < 0;
        }
      }
    }
    if (!any) {
      return len;
    }
    int kept = 0;
    for (int r = 0; r < len; r++) {
      boolean ok = true;
      for (int f = 0; f < d && ok; f++) {
        ok = codes[f][r] >= 0;
      }
      if (ok) {
        for (int f = 0; f < d; f++) {
          codes[f][kept] = codes[f][r];
        }
        kept++;
      }
    }
    return kept;
  }

  /** One bit set of {@code words} longs per value: bit r of set a is 1 when codes[r] = a. */
  private static long[] bitSet(int[] codes, int len, int levels, int words, long[] reuse) {
    long[] b = reuse != null && reuse.length >= levels * words ? reuse : new long[levels * words];
    Arrays.fill(b, 0, levels * words, 0L);
    for (int r = 0; r < len; r++) {
      b[codes[r] * words + (r >>> 6)] |= 1L << r;
    }
    return b;
  }

  private void countDirect(int[] ci, int[] cj, int len, int kj, int base) {
    long[] p = pairs;
    for (int r = 0; r < len; r++) {
      p[base + ci[r] * kj + cj[r]]++;
    }
  }

  /**
   * The table of one pair from bit sets: n(a, b) by AND-popcount for a &lt; K_i − 1 and
   * b &lt; K_j − 1; the last column from the block's marginal of i, the last row from that of j,
   * the last cell from the block's row count.
   */
  private void countBits(long[] bi, long[] bj, int ki, int kj, int words, int[] blockMarginals,
      int offI, int offJ, int len, int base) {
    long[] t = scratch;
    int w1 = kj - 1;
    for (int a = 0; a < ki - 1; a++) {
      int ia = a * words;
      for (int b = 0; b < w1; b++) {
        int jb = b * words;
        long n = 0;
        for (int w = 0; w < words; w++) {
          n += Long.bitCount(bi[ia + w] & bj[jb + w]);
        }
        t[a * w1 + b] = n;
      }
    }
    long[] p = pairs;
    long rest = len;
    for (int a = 0; a < ki - 1; a++) {
      long rowSum = 0;
      for (int b = 0; b < w1; b++) {
        p[base + a * kj + b] += t[a * w1 + b];
        rowSum += t[a * w1 + b];
      }
      p[base + a * kj + w1] += blockMarginals[offI + a] - rowSum;
      rest -= blockMarginals[offI + a];
    }
    for (int b = 0; b < w1; b++) {
      long colSum = 0;
      for (int a = 0; a < ki - 1; a++) {
        colSum += t[a * w1 + b];
      }
      long v = blockMarginals[offJ + b] - colSum;
      p[base + (ki - 1) * kj + b] += v;
      rest -= v;
    }
    p[base + (ki - 1) * kj + w1] += rest;
  }

  /** Sets the totals and counts of statistics read back from their written form. */
  void restore(long rows, long outOfRange, long[] marginalCounts, long[] pairCounts) {
    this.rows = rows;
    this.outOfRange = outOfRange;
    System.arraycopy(marginalCounts, 0, marginals, 0, marginals.length);
    System.arraycopy(pairCounts, 0, pairs, 0, pairs.length);
  }

  @Override
  public void write(StateWriter out) {
    out.putLong("rows", rows);
    out.putLong("out_of_range", outOfRange);
    out.putLongs("marginals", marginals);
    out.putLongs("pairs", pairs);
  }

  @Override
  public void merge(Statistics other) {
    BayesNetStatistics o = (BayesNetStatistics) other;
    for (int i = 0; i < marginals.length; i++) {
      marginals[i] += o.marginals[i];
    }
    for (int i = 0; i < pairs.length; i++) {
      pairs[i] += o.pairs[i];
    }
    rows += o.rows;
    outOfRange += o.outOfRange;
  }
}
