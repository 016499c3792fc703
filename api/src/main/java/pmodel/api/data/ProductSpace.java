package pmodel.api.data;

import java.util.Arrays;
import pmodel.api.error.PmodelException;

/**
 * The cells of a product of discrete features with cardinalities K_0..K_{d-1}, numbered in
 * row-major order (the last feature varies fastest), as numpy's {@code ravel_multi_index} does.
 * The size may exceed a long (784 pixels of 256 levels): {@link #logSize()} is always defined,
 * cell indices only when {@link #indexable()}.
 */
public final class ProductSpace {
  private final int[] radix;
  private final long[] stride;
  private final boolean indexable;
  private final double logSize;
  private final long size;

  private ProductSpace(int[] radix) {
    this.radix = radix.clone();
    this.stride = new long[radix.length];
    double log = 0;
    long s = 1;
    boolean fits = true;
    for (int f = radix.length - 1; f >= 0; f--) {
      if (radix[f] < 1) {
        throw new IllegalArgumentException("cardinality < 1");
      }
      stride[f] = fits ? s : -1;
      log += Math.log(radix[f]);
      if (fits) {
        long next = s * radix[f];
        if (radix[f] != 0 && (next / radix[f] != s || next > Long.MAX_VALUE / 4)) {
          fits = false;
        } else {
          s = next;
        }
      }
    }
    this.indexable = fits;
    this.size = fits ? s : -1;
    this.logSize = log;
  }

  /** The product space of the given cardinalities. */
  public static ProductSpace of(int... cardinalities) {
    return new ProductSpace(cardinalities);
  }

  /** The product space of a schema whose features are all discrete. */
  public static ProductSpace of(Schema schema) {
    int[] k = new int[schema.size()];
    for (int f = 0; f < k.length; f++) {
      if (!(schema.feature(f) instanceof DiscreteFeature d)) {
        throw PmodelException.badInput("feature '" + schema.feature(f).name()
            + "' is continuous; a product space needs discrete features");
      }
      k[f] = d.cardinality();
    }
    return new ProductSpace(k);
  }

  /** The number of features. */
  public int dimensions() {
    return radix.length;
  }

  public int cardinality(int feature) {
    return radix[feature];
  }

  public int[] cardinalities() {
    return radix.clone();
  }

  /** True when the number of cells fits a long (below 2^61), so cells have indices. */
  public boolean indexable() {
    return indexable;
  }

  /** The number of cells; only when {@link #indexable()}. */
  public long size() {
    if (!indexable) {
      throw new IllegalStateException("product space too large to index: e^" + logSize);
    }
    return size;
  }

  /** The natural log of the number of cells, always defined. */
  public double logSize() {
    return logSize;
  }

  /** The stride of a feature: how much the cell index moves when its code moves by one. */
  public long stride(int feature) {
    if (!indexable) {
      throw new IllegalStateException("product space too large to index");
    }
    return stride[feature];
  }

  /** The cell index of the given codes. */
  public long index(int[] codes) {
    long idx = 0;
    for (int f = 0; f < radix.length; f++) {
      idx += codes[f] * stride[f];
    }
    return idx;
  }

  /** The cell index of one row of a dataset whose features are all discrete. */
  public long index(Dataset data, int row) {
    long idx = 0;
    for (int f = 0; f < radix.length; f++) {
      idx += data.code(row, f) * stride[f];
    }
    return idx;
  }

  /** The codes of a cell index, written into {@code codes}. */
  public void decode(long index, int[] codes) {
    for (int f = radix.length - 1; f >= 0; f--) {
      codes[f] = (int) (index % radix[f]);
      index /= radix[f];
    }
  }

  @Override
  public String toString() {
    return "ProductSpace" + Arrays.toString(radix);
  }
}
