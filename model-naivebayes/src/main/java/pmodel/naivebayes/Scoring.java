package pmodel.naivebayes;

/** The scoring hot loop. */
final class Scoring {
  private Scoring() {
  }

  /** out[i] += table[off + col[i]] for i in [from, to): one feature's log θ added to each row. */
  static void addBytes(byte[] col, int from, int to, double[] table, int off, double[] out) {
    for (int i = from; i < to; i++) {
      out[i] += table[off + (col[i] & 0xFF)];
    }
  }
}
