package pmodel.histogram;

import pmodel.api.data.Dataset;
import pmodel.api.data.Discretizer;
import pmodel.api.data.ProductSpace;
import pmodel.api.spi.Statistics;

/**
 * The histogram's sufficient statistics: one count per observed cell, in a dense array indexed by
 * cell when the product space is small, otherwise in a {@link RowTable} of the observed cells.
 */
final class HistogramStatistics implements Statistics {
  static final int BLOCK = 1024;

  private final Discretizer disc;
  private final boolean dense;
  private final ProductSpace space;
  private final long[] denseCounts;
  private final RowTable table;
  private final CellKeys keys;
  private long rows;
  private long outOfRange;

  // per-partition scratch, reused across blocks: no allocation per row
  private int[] cellScratch;
  private int[] binScratch;
  private byte[] keyScratch;
  private boolean[] valid;

  HistogramStatistics(Discretizer disc, boolean dense) {
    this.disc = disc;
    this.dense = dense;
    this.space = ProductSpace.of(disc.cardinalities());
    if (dense) {
      this.denseCounts = new long[(int) space.size()];
      this.table = null;
      this.keys = null;
    } else {
      this.denseCounts = null;
      this.keys = new CellKeys(disc);
      this.table = new RowTable(keys.width(), 1024);
    }
  }

  Discretizer discretizer() {
    return disc;
  }

  boolean dense() {
    return dense;
  }

  long[] denseCounts() {
    return denseCounts;
  }

  RowTable table() {
    return table;
  }

  CellKeys keys() {
    return keys;
  }

  @Override
  public long rows() {
    return rows;
  }

  /** Rows whose continuous value fell outside the bins (only when counting new data). */
  long outOfRange() {
    return outOfRange;
  }

  @Override
  public void add(Dataset data, int from, int to) {
    if (binScratch == null) {
      binScratch = new int[BLOCK];
      valid = new boolean[BLOCK];
      if (dense) {
        cellScratch = new int[BLOCK];
      } else {
        keyScratch = new byte[BLOCK * keys.width()];
      }
    }
    for (int b = from; b < to; b += BLOCK) {
      int e = Math.min(to, b + BLOCK);
      if (dense) {
        addDense(data, b, e);
      } else {
        addSparse(data, b, e);
      }
    }
    rows += to - from;
  }

  private void addDense(Dataset data, int from, int to) {
    int n = to - from;
    boolean allValid = cellIndices(disc, space, data, from, to, cellScratch, valid, binScratch);
    long[] counts = denseCounts;
    int[] cell = cellScratch;
    if (allValid) {
      for (int i = 0; i < n; i++) {
        counts[cell[i]]++;
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      if (valid[i]) {
        counts[cell[i]]++;
      } else {
        outOfRange++;
      }
    }
  }

  /**
   * The dense cell index of rows [from, to) into {@code cell[0..n)}, feature by feature (each
   * feature's column is read contiguously); {@code valid[i]} is false when a continuous value lies
   * outside its bins. {@code bins} is scratch of at least n ints. Returns true when every row is
   * valid (always, when no feature is binned).
   */
  static boolean cellIndices(Discretizer disc, ProductSpace space, Dataset data, int from, int to,
      int[] cell, boolean[] valid, int[] bins) {
    int n = to - from;
    java.util.Arrays.fill(cell, 0, n, 0);
    java.util.Arrays.fill(valid, 0, n, true);
    boolean allValid = true;
    for (int f = 0; f < disc.schema().size(); f++) {
      int stride = (int) space.stride(f);
      if (disc.binned(f)) {
        disc.bins(data, f, from, to, bins);
        for (int i = 0; i < n; i++) {
          int v = bins[i];
          if (v < 0) {
            valid[i] = false;
            allValid = false;
          } else {
            cell[i] += v * stride;
          }
        }
      } else if (Dataset.storesBytes(data.schema().discrete(f))) {
        byte[] col = data.bytes(f);
        for (int i = 0; i < n; i++) {
          cell[i] += (col[from + i] & 0xFF) * stride;
        }
      } else {
        int[] col = data.ints(f);
        for (int i = 0; i < n; i++) {
          cell[i] += col[from + i] * stride;
        }
      }
    }
    return allValid;
  }

  private void addSparse(Dataset data, int from, int to) {
    int n = to - from;
    int w = keys.width();
    keys.encode(data, from, to, keyScratch, valid, binScratch);
    for (int i = 0; i < n; i++) {
      if (valid[i]) {
        table.add(keyScratch, i * w, 1);
      } else {
        outOfRange++;
      }
    }
  }

  @Override
  public void merge(Statistics other) {
    HistogramStatistics o = (HistogramStatistics) other;
    if (dense) {
      for (int i = 0; i < denseCounts.length; i++) {
        denseCounts[i] += o.denseCounts[i];
      }
    } else {
      table.addAll(o.table);
    }
    rows += o.rows;
    outOfRange += o.outOfRange;
  }
}
