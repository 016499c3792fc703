package pmodel.eval.internal;

import pmodel.api.compute.Parallel;
import pmodel.api.data.Dataset;

/**
 * An exact-match index of a dataset's rows: an open-addressing hash table of 64-bit row hashes
 * with chains, so that "is this row a copy of some indexed row?" costs one hash and, for equal
 * hashes, one exact comparison. Hashes are computed column by column, which reads every column
 * array sequentially.
 */
public final class RowIndex {
  private final Dataset data;
  private final long[] keys;
  private final int[] first; // first row with this slot's key, -1 when empty
  private final int[] next; // the next row with the same key, -1 at the end
  private final int mask;

  private RowIndex(Dataset data) {
    this.data = data;
    long[] hashes = hashes(data, Parallel.defaultThreads());
    int cap = Integer.highestOneBit(Math.max(4, data.rows() * 2 - 1)) << 1;
    keys = new long[cap];
    first = new int[cap];
    java.util.Arrays.fill(first, -1);
    next = new int[data.rows()];
    mask = cap - 1;
    for (int i = data.rows() - 1; i >= 0; i--) {
      int slot = slot(hashes[i]);
      next[i] = first[slot];
      keys[slot] = hashes[i];
      first[slot] = i;
    }
  }

  /** An index of every row of {@code data}. */
  public static RowIndex of(Dataset data) {
    return new RowIndex(data);
  }

  private int slot(long h) {
    int s = (int) h & mask;
    while (first[s] >= 0 && keys[s] != h) {
      s = (s + 1) & mask;
    }
    return s;
  }

  /**
   * For every row of {@code rows} (same schema), whether it equals some indexed row exactly;
   * computed on up to {@code threads} threads.
   */
  public boolean[] contains(Dataset rows, int threads) {
    long[] h = hashes(rows, threads);
    boolean[] out = new boolean[rows.rows()];
    Parallel.forEachBlock(rows.rows(), 1024, threads, (block, from, to) -> {
      for (int i = from; i < to; i++) {
        int s = slot(h[i]);
        for (int j = first[s]; j >= 0; j = next[j]) {
          if (equalRows(rows, i, data, j)) {
            out[i] = true;
            break;
          }
        }
      }
    });
    return out;
  }

  /** A 64-bit hash of every row. */
  static long[] hashes(Dataset d, int threads) {
    long[] h = new long[d.rows()];
    int features = d.schema().size();
    Parallel.forEachBlock(d.rows(), 4096, threads, (block, from, to) -> {
      for (int f = 0; f < features; f++) {
        Object c = column(d, f);
        if (c instanceof byte[] b) {
          for (int i = from; i < to; i++) {
            h[i] = mix(h[i] + (b[i] & 0xFF));
          }
        } else if (c instanceof int[] a) {
          for (int i = from; i < to; i++) {
            h[i] = mix(h[i] + a[i]);
          }
        } else {
          double[] a = (double[]) c;
          for (int i = from; i < to; i++) {
            h[i] = mix(h[i] + Double.doubleToLongBits(a[i] + 0.0));
          }
        }
      }
    });
    return h;
  }

  private static Object column(Dataset d, int f) {
    var feature = d.schema().feature(f);
    if (feature instanceof pmodel.api.data.DiscreteFeature df) {
      return Dataset.storesBytes(df) ? d.bytes(f) : d.ints(f);
    }
    return d.doubles(f);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static boolean equalRows(Dataset a, int i, Dataset b, int j) {
    int features = a.schema().size();
    for (int f = 0; f < features; f++) {
      Object ca = column(a, f);
      Object cb = column(b, f);
      boolean eq;
      if (ca instanceof byte[] x) {
        eq = x[i] == ((byte[]) cb)[j];
      } else if (ca instanceof int[] x) {
        eq = x[i] == ((int[]) cb)[j];
      } else {
        eq = ((double[]) ca)[i] == ((double[]) cb)[j];
      }
      if (!eq) {
        return false;
      }
    }
    return true;
  }
}
