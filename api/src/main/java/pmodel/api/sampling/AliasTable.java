package pmodel.api.sampling;

import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.error.PmodelException;

/**
 * Walker's alias method for a discrete distribution over 0..n-1: O(1) per sample from a single
 * 64-bit random number and a single table read, after O(n) set-up.
 *
 * <p>The table is padded to a power of two, 2^m entries (padding has probability zero). A sample
 * takes one {@code long} r: its top m bits pick an entry, its low b = min(53, 62 - m) bits are
 * compared with the entry's threshold. Each entry packs the threshold (b + 1 bits) and the alias
 * (m bits) into one long, so the hot path is integer-only and branch-free: a shift, one load, a
 * subtraction whose sign picks the entry or its alias. Probabilities are held as integers out of
 * 2^(m+b), so every outcome's probability is exact to within 2^-(m+b) ≤ 2^-53 absolute. Memory:
 * 8 bytes per padded entry. Immutable and shareable between threads; each thread brings its own
 * generator.
 *
 * <p>Bulk sampling into arrays draws two outcomes from each 64-bit number (tables of at most 2^16
 * entries): each 32-bit half picks an entry with its top m bits and compares its other 32 − m
 * bits with the top bits of the threshold; only when they are equal (probability 2^-(32-m)) are
 * the threshold's remaining bits compared with bits of a fresh number. The probabilities are
 * exactly those above; the random numbers are used differently, so bulk and one-at-a-time
 * sampling give different (equally distributed) sequences. Random number generation is the
 * larger part of the cost per outcome, so this makes bulk sampling about a third faster.
 *
 * <p>Compared with Commons RNG's {@code AliasMethodDiscreteSampler}, which reads a probability and
 * an alias from two arrays, this reads one packed entry; see docs/benchmarks.md.
 */
public final class AliasTable {
  /** Tables of at most 2^16 entries draw two outcomes per 64-bit number in bulk. */
  private static final int HALVES_MAX_M = 16;
  private final long[] entries;
  private final int size;
  private final int m;
  private final int bits;
  private final long uMask;
  private final int aliasMask;

  private AliasTable(long[] entries, int size, int m, int bits) {
    this.entries = entries;
    this.size = size;
    this.m = m;
    this.bits = bits;
    this.uMask = (1L << bits) - 1;
    this.aliasMask = (1 << m) - 1;
  }

  /**
   * A table for outcomes with the given non-negative weights (not necessarily normalised).
   * Fails on a negative, infinite or NaN weight, on all-zero weights, or above 2^30 outcomes.
   */
  public static AliasTable of(double[] weights) {
    int n = weights.length;
    if (n == 0 || n > (1 << 30)) {
      throw PmodelException.badInput("an alias table needs 1..2^30 outcomes, not " + n);
    }
    double sum = 0;
    for (double w : weights) {
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw PmodelException.badInput("alias table weight " + w + " is invalid; expected a"
            + " finite number >= 0");
      }
      sum += w;
    }
    if (Double.isInfinite(sum)) {
      // finite weights whose sum overflows (two of 1e308): scale all by one power of two,
      // which is exact, so the table is the one the same proportions would give
      double max = 0;
      for (double w : weights) {
        max = Math.max(max, w);
      }
      double scale = Math.scalb(1.0, -(Math.getExponent(max) + 1));
      weights = weights.clone();
      sum = 0;
      for (int i = 0; i < n; i++) {
        weights[i] *= scale;
        sum += weights[i];
      }
    }
    if (!(sum > 0) || Double.isInfinite(sum)) {
      throw PmodelException.badInput("alias table weights sum to " + sum
          + "; expected a finite positive sum");
    }
    int m = Math.max(1, 32 - Integer.numberOfLeadingZeros(n - 1));
    int padded = 1 << m;
    int bits = Math.min(53, 62 - m);
    long capacity = 1L << bits; // per entry
    long total = capacity << m; // <= 2^62
    long[] scaled = new long[padded];
    long assigned = 0;
    int largest = 0;
    for (int i = 0; i < n; i++) {
      scaled[i] = (long) Math.floor(weights[i] / sum * total);
      assigned += scaled[i];
      if (weights[i] > weights[largest]) {
        largest = i;
      }
    }
    // Give the rounding remainder (tiny, either sign) to the largest outcome.
    scaled[largest] += total - assigned;

    long[] threshold = new long[padded];
    int[] alias = new int[padded];
    int[] small = new int[padded];
    int[] large = new int[padded];
    int ns = 0;
    int nl = 0;
    for (int i = 0; i < padded; i++) {
      if (scaled[i] < capacity) {
        small[ns++] = i;
      } else {
        large[nl++] = i;
      }
    }
    while (ns > 0 && nl > 0) {
      int s = small[--ns];
      int l = large[--nl];
      threshold[s] = scaled[s];
      alias[s] = l;
      scaled[l] -= capacity - scaled[s];
      if (scaled[l] < capacity) {
        small[ns++] = l;
      } else {
        large[nl++] = l;
      }
    }
    // Whatever remains is full (up to rounding, which the integer arithmetic has made exact).
    while (nl > 0) {
      int l = large[--nl];
      threshold[l] = capacity;
      alias[l] = l;
    }
    while (ns > 0) {
      int s = small[--ns];
      threshold[s] = capacity;
      alias[s] = s;
    }
    long[] entries = new long[padded];
    for (int i = 0; i < padded; i++) {
      entries[i] = (threshold[i] << m) | alias[i];
    }
    return new AliasTable(entries, n, m, bits);
  }

  /** The number of outcomes (before padding). */
  public int size() {
    return size;
  }

  /** One outcome. */
  public int sample(UniformRandomProvider rng) {
    return sample(rng.nextLong());
  }

  /** The outcome selected by 64 uniformly random bits. */
  public int sample(long r) {
    int i = (int) (r >>> (64 - m));
    return pick(i, r & uMask, entries[i], m, aliasMask);
  }

  /**
   * Entry {@code i} itself when {@code u} is below its threshold, otherwise its alias, without
   * a branch: which of the two it is is a coin flip the branch predictor cannot learn. Both
   * {@code u} and the threshold are below 2^62, so {@code u - threshold} is negative exactly when
   * u &lt; threshold, and its sign bit selects.
   */
  private static int pick(int i, long u, long entry, int m, int aliasMask) {
    int alias = (int) entry & aliasMask;
    int below = (int) ((u - (entry >>> m)) >> 63);
    return alias ^ ((alias ^ i) & below);
  }

  /**
   * Fills {@code out[from..to)} with outcomes stored as bytes; needs {@link #size()} ≤ 256. Two
   * outcomes per 64-bit number (see the class comment).
   */
  public void sample(UniformRandomProvider rng, byte[] out, int from, int to) {
    if (size > 256) {
      throw new IllegalStateException("outcomes do not fit a byte");
    }
    final long[] e = entries;
    final int mm = m;
    final int q = 32 - m;
    final long qMask = (1L << q) - 1;
    final int hiShift = m + bits - q;
    final int am = aliasMask;
    int j = from;
    for (; j + 1 < to; j += 2) {
      long r = rng.nextLong();
      out[j] = (byte) pickHalf(r >>> 32, rng, e, mm, q, qMask, hiShift, am);
      out[j + 1] = (byte) pickHalf(r & 0xFFFF_FFFFL, rng, e, mm, q, qMask, hiShift, am);
    }
    if (j < to) {
      out[j] = (byte) pickHalf(rng.nextLong() >>> 32, rng, e, mm, q, qMask, hiShift, am);
    }
  }

  /**
   * Fills {@code out[from..to)} with outcomes: two per 64-bit number when the table has at most
   * 2^16 entries (see the class comment), otherwise one.
   */
  public void sample(UniformRandomProvider rng, int[] out, int from, int to) {
    final long[] e = entries;
    final int mm = m;
    final int am = aliasMask;
    if (m > HALVES_MAX_M) {
      final int shift = 64 - m;
      final long um = uMask;
      for (int j = from; j < to; j++) {
        long r = rng.nextLong();
        int i = (int) (r >>> shift);
        out[j] = pick(i, r & um, e[i], mm, am);
      }
      return;
    }
    final int q = 32 - m;
    final long qMask = (1L << q) - 1;
    final int hiShift = m + bits - q;
    int j = from;
    for (; j + 1 < to; j += 2) {
      long r = rng.nextLong();
      out[j] = pickHalf(r >>> 32, rng, e, mm, q, qMask, hiShift, am);
      out[j + 1] = pickHalf(r & 0xFFFF_FFFFL, rng, e, mm, q, qMask, hiShift, am);
    }
    if (j < to) {
      out[j] = pickHalf(rng.nextLong() >>> 32, rng, e, mm, q, qMask, hiShift, am);
    }
  }

  /**
   * The outcome chosen by 32 random bits {@code h}: the top m bits pick entry i, the q = 32 − m
   * bits below are compared with the top q bits of its threshold (a shift of the packed entry).
   * Below: i; above: the alias; equal (probability 2^-q): the threshold's remaining b − q bits
   * decide against as many bits of a fresh number. Every outcome keeps exactly the probability
   * the full b-bit comparison gives it.
   */
  private static int pickHalf(long h, UniformRandomProvider rng, long[] e, int m, int q,
      long qMask, int hiShift, int aliasMask) {
    int i = (int) (h >>> q);
    long x = e[i];
    long d = (h & qMask) - (x >>> hiShift);
    if (d == 0) {
      return breakTie(rng, x, i, m, hiShift - m, aliasMask);
    }
    int alias = (int) x & aliasMask;
    int below = (int) (d >> 63);
    return alias ^ ((alias ^ i) & below);
  }

  /** Decides a tie of {@link #pickHalf} with the low {@code lowBits} bits of the threshold. */
  private static int breakTie(UniformRandomProvider rng, long x, int i, int m, int lowBits,
      int aliasMask) {
    long low = (x >>> m) & ((1L << lowBits) - 1);
    long u = rng.nextLong() >>> (64 - lowBits);
    return u < low ? i : (int) x & aliasMask;
  }

  /** The packed entry i (threshold &lt;&lt; m | alias), for tests. */
  long entry(int i) {
    return entries[i];
  }

  /** m: the table has 2^m entries. */
  int indexBits() {
    return m;
  }

  /** b: the bits of each threshold (a full entry's threshold is 2^b). */
  int thresholdBits() {
    return bits;
  }

  /** The exact probability of outcome {@code k} that this table samples with. */
  public double probability(int k) {
    long capacity = 1L << bits;
    long mass = 0;
    for (int i = 0; i < entries.length; i++) {
      long thr = entries[i] >>> m;
      int a = (int) entries[i] & aliasMask;
      if (i == k) {
        mass += thr;
      }
      if (a == k && thr < capacity) {
        mass += capacity - thr;
      }
    }
    return mass / (double) (capacity << m);
  }
}
