package pmodel.naivebayes;

import pmodel.api.error.PmodelException;
import pmodel.api.data.Dataset;
import pmodel.api.data.Discretizer;
import pmodel.api.spi.StateWriter;
import pmodel.api.spi.Statistics;

/**
 * One count per (feature, value): the sufficient statistics of naive Bayes. Counting runs column
 * by column over the compact dataset with no allocation per row.
 */
final class NaiveBayesStatistics implements Statistics {
  private final Discretizer disc;
  private final int[] offsets;
  private final long[] counts;
  private long rows;
  private long outOfRange;
  private final int[] scratch = new int[4 * 256];
  private int[] bins;

  NaiveBayesStatistics(Discretizer disc) {
    this.disc = disc;
    int d = disc.schema().size();
    this.offsets = new int[d + 1];
    for (int f = 0; f < d; f++) {
      offsets[f + 1] = Math.addExact(offsets[f], disc.cardinality(f));
    }
    this.counts = new long[offsets[d]];
  }

  Discretizer discretizer() {
    return disc;
  }

  long[] counts() {
    return counts;
  }

  /** Continuous values that fell outside the bins (only when scoring new data). */
  long outOfRange() {
    return outOfRange;
  }

  @Override
  public long rows() {
    return rows;
  }

  @Override
  public void add(Dataset data, int from, int to) {
    for (int f = 0; f < offsets.length - 1; f++) {
      if (disc.binned(f)) {
        if (bins == null || bins.length < to - from) {
          bins = new int[to - from];
        }
        disc.bins(data, f, from, to, bins);
        for (int i = 0; i < to - from; i++) {
          if (bins[i] < 0) {
            outOfRange++;
          } else {
            counts[offsets[f] + bins[i]]++;
          }
        }
      } else if (Dataset.storesBytes(data.schema().discrete(f))) {
        Counting.countBytes(data.bytes(f), from, to, counts, offsets[f], scratch);
      } else {
        Counting.countInts(data.ints(f), from, to, counts, offsets[f]);
      }
    }
    rows = add(rows, to - from);
  }

  /** Sets the totals and counts of statistics read back from their written form. */
  void restore(long rows, long outOfRange, long[] values) {
    this.rows = rows;
    this.outOfRange = outOfRange;
    System.arraycopy(values, 0, counts, 0, counts.length);
  }

  /** The first count of feature f in {@link #counts()}; {@code offset(d)} is their number. */
  int offset(int f) {
    return offsets[f];
  }

  /** Writes the totals and every (feature, value) count. */
  @Override
  public void write(StateWriter out) {
    out.putLong("rows", rows);
    out.putLong("out_of_range", outOfRange);
    out.putLongs("counts", counts);
  }

  @Override
  public void merge(Statistics other) {
    NaiveBayesStatistics o = (NaiveBayesStatistics) other;
    // checked before anything changes, so a refused merge leaves these statistics as they were
    long newRows = add(rows, o.rows);
    long newOutOfRange = add(outOfRange, o.outOfRange);
    for (int i = 0; i < counts.length; i++) {
      add(counts[i], o.counts[i]);
    }
    for (int i = 0; i < counts.length; i++) {
      counts[i] += o.counts[i];
    }
    rows = newRows;
    outOfRange = newOutOfRange;
  }

  /** a + b, refused when it passes 2^63 - 1 rather than wrapping round to a wrong count. */
  private static long add(long a, long b) {
    long sum = a + b;
    if (((a ^ sum) & (b ^ sum)) < 0) {
      throw PmodelException.badInput("naive Bayes counts overflow a 64-bit integer (" + a
          + " + " + b + "); merge fewer than 2^63 rows");
    }
    return sum;
  }
}
