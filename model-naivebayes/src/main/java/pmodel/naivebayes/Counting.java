package pmodel.naivebayes;

/** The counting hot loops. */
final class Counting {
  private Counting() {
  }

  /**
   * Adds the value counts of {@code col[from..to)} (unsigned bytes) to {@code counts[off..]}.
   * Four interleaved sub-histograms in {@code scratch} (4 × 256 ints, zero on entry and exit)
   * break the store-to-load dependency between neighbouring equal values, which are common in
   * images (background pixels).
   */
  static void countBytes(byte[] col, int from, int to, long[] counts, int off, int[] scratch) {
    int i = from;
    for (; i + 3 < to; i += 4) {
      scratch[col[i] & 0xFF]++;
      scratch[256 + (col[i + 1] & 0xFF)]++;
      scratch[512 + (col[i + 2] & 0xFF)]++;
      scratch[768 + (col[i + 3] & 0xFF)]++;
    }
    for (; i < to; i++) {
      scratch[col[i] & 0xFF]++;
    }
    for (int v = 0; v < 256; v++) {
      int c = scratch[v] + scratch[256 + v] + scratch[512 + v] + scratch[768 + v];
      if (c != 0) {
        counts[off + v] += c;
        scratch[v] = 0;
        scratch[256 + v] = 0;
        scratch[512 + v] = 0;
        scratch[768 + v] = 0;
      }
    }
  }

  /** Adds the value counts of {@code col[from..to)} to {@code counts[off..]}. */
  static void countInts(int[] col, int from, int to, long[] counts, int off) {
    for (int i = from; i < to; i++) {
      counts[off + col[i]]++;
    }
  }
}
