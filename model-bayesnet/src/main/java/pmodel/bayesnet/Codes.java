package pmodel.bayesnet;

import pmodel.api.data.Dataset;
import pmodel.api.data.Discretizer;

/** Reads the discrete values of a block of rows: codes, or bins of continuous features. */
final class Codes {
  private Codes() {
  }

  /**
   * Writes the discrete value of rows [from, to) of feature f to {@code out[0..to-from)}: the
   * code of a discrete feature, the bin of a continuous one (-1 outside the fitted range).
   */
  static void read(Discretizer disc, Dataset data, int f, int from, int to, int[] out) {
    if (disc.binned(f)) {
      disc.bins(data, f, from, to, out);
    } else if (Dataset.storesBytes(data.schema().discrete(f))) {
      byte[] col = data.bytes(f);
      for (int i = from; i < to; i++) {
        out[i - from] = col[i] & 0xFF;
      }
    } else {
      System.arraycopy(data.ints(f), from, out, 0, to - from);
    }
  }
}
