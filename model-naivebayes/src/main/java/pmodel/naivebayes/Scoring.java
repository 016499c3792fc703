package pmodel.naivebayes;

/**
 * The scoring hot loops: each adds features' log θ to a block of rows. Every table is its own
 * array indexed by the value itself (no offset addition per value), and pairs of features share
 * one pass over the rows.
 */
final class Scoring {
  private Scoring() {
  }

  /** out[i] += table[col[i]] for i in [from, to): one feature's log θ added to each row. */
  static void addBytes(byte[] col, int from, int to, double[] table, double[] out) {
    for (int i = from; i < to; i++) {
      out[i] += table[col[i] & 0xFF];
    }
  }

  /**
   * Two features in one pass: out[i] += t0[c0[i]], then out[i] += t1[c1[i]], in that order, so
   * the sums are bit for bit those of two {@link #addBytes} passes, with one read and write of
   * out[i] instead of two.
   */
  static void addBytes2(byte[] c0, byte[] c1, int from, int to, double[] t0, double[] t1,
      double[] out) {
    for (int i = from; i < to; i++) {
      double s = out[i] + t0[c0[i] & 0xFF];
      out[i] = s + t1[c1[i] & 0xFF];
    }
  }
}
