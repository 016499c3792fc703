package pmodel.eval.internal;

import java.util.Arrays;
import pmodel.api.compute.Parallel;
import pmodel.api.data.Dataset;

/**
 * Exact nearest-neighbour search among images of 8-bit pixels (Euclidean distance). The training
 * images are copied once into one row-major {@code int[]} sorted by their norm (ints, because the
 * JIT vectorizes the int difference-square-sum loop and not the byte one: about 3x faster
 * here); a query scans outward from its own norm and stops in each direction once the norm
 * difference alone exceeds the best distance found (|‖x‖ − ‖y‖| ≤ ‖x − y‖). The answer is the
 * exact minimum, the same on any number of threads; queries run in parallel.
 */
public final class NearestImages {
  /** The most pixels whose squared differences (at most 255^2 each) sum within an int. */
  private static final int MAX_INT_SUM_PIXELS = Integer.MAX_VALUE / (255 * 255);

  private final pmodel.api.data.Schema schema;
  private final int d;
  private final int n;
  private final int[] rows; // sorted by norm, row-major
  private final double[] norms; // ascending

  private NearestImages(Dataset train) {
    schema = train.schema();
    d = schema.size();
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
    if ((long) n * d > Integer.MAX_VALUE - 8L) {
      throw pmodel.api.error.PmodelException.badInput("the nearest-image search holds at most 2^31"
          + " training pixels; " + n + " images of " + d + " pixels are more: use fewer"
          + " training images");
    }
    rows = new int[n * d];
    norms = new double[n];
    int[] source = new int[n];
    for (int r = 0; r < n; r++) {
      source[r] = (int) (order[r] & Integer.MAX_VALUE);
      norms[r] = Math.sqrt(sq[source[r]]);
    }
    // transpose in tiles of 64 rows so that each column's bytes are read in runs
    for (int r0 = 0; r0 < n; r0 += 64) {
      int r1 = Math.min(n, r0 + 64);
      for (int f = 0; f < d; f++) {
        byte[] c = cols[f];
        for (int r = r0; r < r1; r++) {
          rows[r * d + f] = c[source[r]] & 0xFF;
        }
      }
    }
  }

  /** The schema of the indexed images. */
  public pmodel.api.data.Schema schema() {
    return schema;
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
    byte[][] cols = new byte[d][];
    for (int f = 0; f < d; f++) {
      cols[f] = queries.bytes(f);
    }
    long[] out = new long[q];
    Parallel.forEachBlock(q, 4, threads, (block, from, to) -> {
      int[] query = new int[d];
      for (int i = from; i < to; i++) {
        for (int f = 0; f < d; f++) {
          query[f] = cols[f][i] & 0xFF;
        }
        out[i] = nearest(query);
      }
    });
    return out;
  }

  private long nearest(int[] query) {
    long s = 0;
    for (int p = 0; p < d; p++) {
      s += query[p] * query[p];
    }
    double qn = Math.sqrt(s);
    int start = Arrays.binarySearch(norms, qn);
    start = start < 0 ? -start - 1 : start;
    long best = Long.MAX_VALUE;
    // upward from the query's norm, then downward; each direction stops once the norm gap
    // alone exceeds the best distance (with a margin for rounding of the square roots)
    for (int r = start; r < n; r++) {
      double gap = norms[r] - qn;
      if (gap * gap > best * (1 + 1e-12) + 1e-6) {
        break;
      }
      best = Math.min(best, distance(query, r * d));
    }
    for (int r = start - 1; r >= 0; r--) {
      double gap = qn - norms[r];
      if (gap * gap > best * (1 + 1e-12) + 1e-6) {
        break;
      }
      best = Math.min(best, distance(query, r * d));
    }
    return best;
  }

  /** Σ (a[ao+p] − b[bo+p])² over p < n, in an int: the plain loop that the JIT vectorizes. */
  static int squaredDistance(int[] a, int ao, int[] b, int bo, int n) {
    int sum = 0;
    for (int p = 0; p < n; p++) {
      int x = a[ao + p] - b[bo + p];
      sum += x * x;
    }
    return sum;
  }

  /** The squared distance from the query to training row {@code to / d}. */
  private long distance(int[] query, int to) {
    if (d <= MAX_INT_SUM_PIXELS) {
      return squaredDistance(query, 0, rows, to, d);
    }
    long acc = 0;
    for (int p = 0; p < d; p++) {
      long x = query[p] - rows[to + p];
      acc += x * x;
    }
    return acc;
  }
}
