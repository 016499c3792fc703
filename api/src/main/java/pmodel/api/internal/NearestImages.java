package pmodel.api.internal;

import java.util.Arrays;
import pmodel.api.compute.Parallel;
import pmodel.api.data.Dataset;

/**
 * Exact nearest-neighbour search among images of 8-bit pixels (Euclidean distance). The training
 * images are copied once into one row-major {@code byte[]} sorted by their norm; a query scans
 * outward from its own norm and stops in each direction once the norm difference alone exceeds
 * the best distance found (|‖x‖ − ‖y‖| ≤ ‖x − y‖), and abandons a candidate as soon as its
 * partial sum exceeds the best. The answer is the exact minimum, the same on any number of
 * threads; queries run in parallel.
 */
public final class NearestImages {
  private static final int CHUNK = 64;

  private final int d;
  private final int n;
  private final byte[] rows; // sorted by norm, row-major
  private final double[] norms; // ascending

  private NearestImages(Dataset train) {
    d = train.schema().size();
    n = train.rows();
    byte[][] cols = new byte[d][];
    for (int f = 0; f < d; f++) {
      cols[f] = train.bytes(f);
    }
    long[] sq = new long[n];
    for (int f = 0; f < d; f++) {
      byte[] c = cols[f];
      for (int i = 0; i < n; i++) {
        int v = c[i] & 0xFF;
        sq[i] += v * v;
      }
    }
    // sort by squared norm, ties by index: pack both into one long
    long[] order = new long[n];
    for (int i = 0; i < n; i++) {
      order[i] = sq[i] << 31 | i;
    }
    Arrays.sort(order);
    rows = new byte[(int) Math.min(Integer.MAX_VALUE - 8L, (long) n * d)];
    if ((long) n * d > rows.length) {
      throw new IllegalArgumentException("too many training pixels for one array");
    }
    norms = new double[n];
    for (int r = 0; r < n; r++) {
      int i = (int) (order[r] & Integer.MAX_VALUE);
      norms[r] = Math.sqrt(sq[i]);
      int at = r * d;
      for (int f = 0; f < d; f++) {
        rows[at + f] = cols[f][i];
      }
    }
  }

  /** An index of the training images (every feature stored as bytes). */
  public static NearestImages of(Dataset train) {
    return new NearestImages(train);
  }

  /**
   * The squared Euclidean distance (in pixel levels) from every query image to its nearest
   * training image, computed on up to {@code threads} threads.
   */
  public long[] nearestSquared(Dataset queries, int threads) {
    int q = queries.rows();
    byte[] query = new byte[(int) Math.min(Integer.MAX_VALUE - 8L, (long) q * d)];
    for (int f = 0; f < d; f++) {
      byte[] c = queries.bytes(f);
      for (int i = 0; i < q; i++) {
        query[i * d + f] = c[i];
      }
    }
    long[] out = new long[q];
    Parallel.forEachBlock(q, 4, threads, (block, from, to) -> {
      for (int i = from; i < to; i++) {
        out[i] = nearest(query, i * d);
      }
    });
    return out;
  }

  private long nearest(byte[] query, int qo) {
    long s = 0;
    for (int p = 0; p < d; p++) {
      int v = query[qo + p] & 0xFF;
      s += v * v;
    }
    double qn = Math.sqrt(s);
    int hi = Arrays.binarySearch(norms, qn);
    hi = hi < 0 ? -hi - 1 : hi;
    int lo = hi - 1;
    long best = Long.MAX_VALUE;
    while (lo >= 0 || hi < n) {
      boolean goUp = hi < n && (lo < 0 || norms[hi] - qn <= qn - norms[lo]);
      int r = goUp ? hi++ : lo--;
      double gap = norms[r] - qn;
      // no remaining candidate in this direction can be closer than the norm gap
      if (gap * gap > best * (1 + 1e-12) + 1e-6) {
        if (goUp) {
          hi = n;
        } else {
          lo = -1;
        }
        continue;
      }
      long dist = distance(query, qo, r * d, best);
      if (dist < best) {
        best = dist;
      }
    }
    return best;
  }

  /** The squared distance, or any value ≥ bound once the partial sum reaches it. */
  private long distance(byte[] query, int qo, int to, long bound) {
    long acc = 0;
    for (int p0 = 0; p0 < d; p0 += CHUNK) {
      int p1 = Math.min(d, p0 + CHUNK);
      int part = 0; // at most 64 · 255² < 2^31
      for (int p = p0; p < p1; p++) {
        int x = (query[qo + p] & 0xFF) - (rows[to + p] & 0xFF);
        part += x * x;
      }
      acc += part;
      if (acc >= bound) {
        return acc;
      }
    }
    return acc;
  }
}
