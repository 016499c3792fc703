package pmodel.histogram;

import pmodel.api.data.Dataset;
import pmodel.api.data.Discretizer;

/**
 * Fixed-width byte keys of cells for sparse counting: each feature's discrete value big-endian in
 * 1, 2 or 4 bytes (by its cardinality), so that unsigned lexicographic key order is the
 * row-major cell order.
 */
final class CellKeys {
  private final Discretizer disc;
  private final int[] bytes;
  private final int[] offsets;
  private final int width;

  CellKeys(Discretizer disc) {
    this.disc = disc;
    int d = disc.schema().size();
    this.bytes = new int[d];
    this.offsets = new int[d];
    int w = 0;
    for (int f = 0; f < d; f++) {
      int k = disc.cardinality(f);
      bytes[f] = k <= 256 ? 1 : k <= 65536 ? 2 : 4;
      offsets[f] = w;
      w += bytes[f];
    }
    this.width = w;
  }

  int width() {
    return width;
  }

  /**
   * Writes the key of rows [from, to) into {@code keys} (row i at (i - from) · width). Returns
   * false for a row when a continuous value lies outside the bins: {@code valid[i - from]}.
   */
  void encode(Dataset data, int from, int to, byte[] keys, boolean[] valid, int[] scratch) {
    int n = to - from;
    java.util.Arrays.fill(valid, 0, n, true);
    for (int f = 0; f < bytes.length; f++) {
      int off = offsets[f];
      if (disc.binned(f)) {
        disc.bins(data, f, from, to, scratch);
        for (int i = 0; i < n; i++) {
          int v = scratch[i];
          if (v < 0) {
            valid[i] = false;
            v = 0;
          }
          put(keys, i * width + off, bytes[f], v);
        }
      } else if (data.schema().discrete(f).cardinality() <= 256) {
        byte[] col = data.bytes(f);
        if (bytes[f] == 1) {
          for (int i = 0; i < n; i++) {
            keys[i * width + off] = col[from + i];
          }
        } else {
          for (int i = 0; i < n; i++) {
            put(keys, i * width + off, bytes[f], col[from + i] & 0xFF);
          }
        }
      } else {
        int[] col = data.ints(f);
        for (int i = 0; i < n; i++) {
          put(keys, i * width + off, bytes[f], col[from + i]);
        }
      }
    }
  }

  private static void put(byte[] keys, int at, int len, int v) {
    for (int b = len - 1; b >= 0; b--) {
      keys[at + b] = (byte) v;
      v >>>= 8;
    }
  }

  /** The value of feature f in the key at {@code keys[at..]}. */
  int value(byte[] keys, int at, int f) {
    int v = 0;
    int o = at + offsets[f];
    for (int b = 0; b < bytes[f]; b++) {
      v = (v << 8) | (keys[o + b] & 0xFF);
    }
    return v;
  }

  /** Writes value v of feature f into the key at {@code keys[at..]}. */
  void setValue(byte[] keys, int at, int f, int v) {
    put(keys, at + offsets[f], bytes[f], v);
  }
}
