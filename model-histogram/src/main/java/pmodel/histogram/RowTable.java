package pmodel.histogram;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Counts of distinct fixed-width byte keys: an open-addressing hash table over primitive arrays
 * (keys packed in one byte[], counts in one long[]). {@link #sort()} puts the entries in unsigned
 * lexicographic key order, so the result is the same whatever order rows were added in.
 */
final class RowTable {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final int width;
  private byte[] keys;
  private long[] counts;
  private int size;
  private int[] slots; // entry index + 1; 0 = empty
  private int mask;

  RowTable(int width, int capacity) {
    this.width = width;
    int cap = Math.max(16, Integer.highestOneBit(Math.max(1, capacity) * 2 - 1));
    this.keys = new byte[Math.multiplyExact(cap, width)];
    this.counts = new long[cap];
    this.slots = new int[cap * 2];
    this.mask = slots.length - 1;
  }

  /** A table over given keys (sorted, distinct) and counts, as read from a model file. */
  static RowTable of(int width, byte[] keys, long[] counts) {
    RowTable t = new RowTable(width, counts.length);
    for (int i = 0; i < counts.length; i++) {
      t.add(keys, i * width, counts[i]);
    }
    return t;
  }

  int width() {
    return width;
  }

  int size() {
    return size;
  }

  byte[] keys() {
    return keys;
  }

  long count(int entry) {
    return counts[entry];
  }

  /** The keys of all entries, packed (size × width bytes). */
  byte[] packedKeys() {
    return Arrays.copyOf(keys, size * width);
  }

  /** The counts of all entries. */
  long[] packedCounts() {
    return Arrays.copyOf(counts, size);
  }

  static long hash(byte[] a, int at, int width) {
    long h = 0x9E3779B97F4A7C15L ^ width;
    int i = 0;
    for (; i + 8 <= width; i += 8) {
      h = (h ^ (long) LONGS.get(a, at + i)) * 0xBF58476D1CE4E5B9L;
      h ^= h >>> 29;
    }
    for (; i < width; i++) {
      h = (h ^ (a[at + i] & 0xFF)) * 0x94D049BB133111EBL;
    }
    h ^= h >>> 32;
    h *= 0xD6E8FEB86659FD93L;
    return h ^ (h >>> 32);
  }

  /** The entry holding the key at {@code key[at..at+width)}, or -1. */
  int find(byte[] key, int at) {
    int s = (int) hash(key, at, width) & mask;
    while (true) {
      int e = slots[s];
      if (e == 0) {
        return -1;
      }
      if (Arrays.equals(keys, (e - 1) * width, e * width, key, at, at + width)) {
        return e - 1;
      }
      s = (s + 1) & mask;
    }
  }

  /** Adds {@code count} to the key at {@code key[at..at+width)}. */
  void add(byte[] key, int at, long count) {
    int s = (int) hash(key, at, width) & mask;
    while (true) {
      int e = slots[s];
      if (e == 0) {
        break;
      }
      if (Arrays.equals(keys, (e - 1) * width, e * width, key, at, at + width)) {
        counts[e - 1] += count;
        return;
      }
      s = (s + 1) & mask;
    }
    if (size == counts.length) {
      grow();
      add(key, at, count);
      return;
    }
    System.arraycopy(key, at, keys, size * width, width);
    counts[size] = count;
    slots[s] = ++size;
  }

  /** Adds every entry of another table. */
  void addAll(RowTable other) {
    for (int i = 0; i < other.size; i++) {
      add(other.keys, i * width, other.counts[i]);
    }
  }

  private void grow() {
    int cap = counts.length * 2;
    if ((long) cap * width > Integer.MAX_VALUE - 16 || cap > (1 << 29)) {
      throw pmodel.api.error.PmodelException.badInput("too many distinct cells for a sparse histogram"
          + " (" + size + " of " + width + " bytes each)");
    }
    keys = Arrays.copyOf(keys, cap * width);
    counts = Arrays.copyOf(counts, cap);
    rehash(cap * 2);
  }

  private void rehash(int slotCount) {
    slots = new int[slotCount];
    mask = slotCount - 1;
    for (int e = 0; e < size; e++) {
      int s = (int) hash(keys, e * width, width) & mask;
      while (slots[s] != 0) {
        s = (s + 1) & mask;
      }
      slots[s] = e + 1;
    }
  }

  /** Reorders the entries by unsigned lexicographic key order. */
  void sort() {
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    quicksort(order, 0, size - 1);
    byte[] k = new byte[keys.length];
    long[] c = new long[counts.length];
    for (int i = 0; i < size; i++) {
      System.arraycopy(keys, order[i] * width, k, i * width, width);
      c[i] = counts[order[i]];
    }
    keys = k;
    counts = c;
    rehash(slots.length);
  }

  private int compare(int a, int b) {
    return Arrays.compareUnsigned(keys, a * width, a * width + width, keys, b * width,
        b * width + width);
  }

  private void quicksort(int[] o, int lo, int hi) {
    while (hi - lo > 16) {
      int mid = (lo + hi) >>> 1;
      // median of three as pivot
      if (compare(o[mid], o[lo]) < 0) {
        swap(o, mid, lo);
      }
      if (compare(o[hi], o[lo]) < 0) {
        swap(o, hi, lo);
      }
      if (compare(o[hi], o[mid]) < 0) {
        swap(o, hi, mid);
      }
      int pivot = o[mid];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (compare(o[i], pivot) < 0) {
          i++;
        }
        while (compare(o[j], pivot) > 0) {
          j--;
        }
        if (i <= j) {
          swap(o, i++, j--);
        }
      }
      // recurse into the smaller half, loop on the larger: O(log n) stack
      if (j - lo < hi - i) {
        quicksort(o, lo, j);
        lo = i;
      } else {
        quicksort(o, i, hi);
        hi = j;
      }
    }
    for (int i = lo + 1; i <= hi; i++) {
      int x = o[i];
      int j = i - 1;
      while (j >= lo && compare(o[j], x) > 0) {
        o[j + 1] = o[j];
        j--;
      }
      o[j + 1] = x;
    }
  }

  private static void swap(int[] o, int i, int j) {
    int t = o[i];
    o[i] = o[j];
    o[j] = t;
  }
}
