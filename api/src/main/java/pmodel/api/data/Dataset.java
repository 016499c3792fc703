package pmodel.api.data;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import pmodel.api.error.PmodelException;

/**
 * Rows of a {@link Schema}, stored column by column in primitive arrays: a discrete feature with
 * at most 256 levels is a {@code byte[]} of codes (read as unsigned), one with more levels an
 * {@code int[]}, a continuous feature a {@code double[]}. 60,000 images of 784 pixels take
 * 47 MB. There are no per-row objects.
 *
 * <p>A dataset is immutable by contract: the arrays returned by {@link #bytes}, {@link #ints} and
 * {@link #doubles} are the backing storage, handed out so that hot loops read them directly, and
 * must never be written. Optional {@link #metadata()} carries columns that describe the rows but
 * are not model input (a class label, the true factors of a generated image).
 */
public final class Dataset {
  private final Schema schema;
  private final int rows;
  private final Object[] columns;
  private final Dataset metadata;

  private Dataset(Schema schema, int rows, Object[] columns, Dataset metadata) {
    this.schema = schema;
    this.rows = rows;
    this.columns = columns;
    this.metadata = metadata;
  }

  /** True when the codes of this feature are stored as bytes (at most 256 levels). */
  public static boolean storesBytes(DiscreteFeature feature) {
    return feature.cardinality() <= 256;
  }

  /** An empty column of the right storage type for a feature. */
  public static Object newColumn(Feature feature, int rows) {
    if (feature instanceof DiscreteFeature d) {
      return storesBytes(d) ? new byte[rows] : new int[rows];
    }
    return new double[rows];
  }

  /**
   * A dataset over the given columns, which it takes ownership of (no copy). Every column is
   * checked: its type and length, discrete codes within 0..K-1, continuous values finite.
   */
  public static Dataset of(Schema schema, int rows, Object[] columns) {
    return of(schema, rows, columns, null);
  }

  /** As {@link #of(Schema, int, Object[])}, with metadata columns of the same row count. */
  public static Dataset of(Schema schema, int rows, Object[] columns, Dataset metadata) {
    Objects.requireNonNull(schema, "schema");
    if (rows < 0) {
      throw new IllegalArgumentException("rows < 0");
    }
    if (columns.length != schema.size()) {
      throw new IllegalArgumentException(
          columns.length + " columns for a schema of " + schema.size() + " features");
    }
    for (int f = 0; f < columns.length; f++) {
      checkColumn(schema.feature(f), columns[f], rows);
    }
    if (metadata != null && metadata.rows != rows) {
      throw new IllegalArgumentException(
          "metadata has " + metadata.rows + " rows, data has " + rows);
    }
    return new Dataset(schema, rows, columns.clone(), metadata);
  }

  private static void checkColumn(Feature feature, Object column, int rows) {
    String name = feature.name();
    if (feature instanceof DiscreteFeature d) {
      int k = d.cardinality();
      if (storesBytes(d)) {
        if (!(column instanceof byte[] b) || b.length != rows) {
          throw new IllegalArgumentException("column '" + name + "' must be byte[" + rows + "]");
        }
        if (k < 256 && anyAtLeast(b, k)) {
          int max = 0;
          for (byte v : b) {
            max = Math.max(max, v & 0xFF);
          }
          throw PmodelException.badInput("column '" + name + "' holds code " + max
              + "; expected 0.." + (k - 1));
        }
      } else {
        if (!(column instanceof int[] a) || a.length != rows) {
          throw new IllegalArgumentException("column '" + name + "' must be int[" + rows + "]");
        }
        for (int v : a) {
          if (v < 0 || v >= k) {
            throw PmodelException.badInput("column '" + name + "' holds code " + v
                + "; expected 0.." + (k - 1));
          }
        }
      }
    } else {
      if (!(column instanceof double[] a) || a.length != rows) {
        throw new IllegalArgumentException("column '" + name + "' must be double[" + rows + "]");
      }
      for (int i = 0; i < a.length; i++) {
        if (!Double.isFinite(a[i])) {
          throw PmodelException.badInput("column '" + name + "' row " + (i + 1) + " is "
              + a[i] + "; expected a finite number");
        }
      }
    }
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH = 0x8080808080808080L;
  private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;

  /**
   * True when some unsigned byte of {@code b} is at least {@code k} (1 ≤ k ≤ 255), eight bytes
   * per step without carries between bytes: with lo = the low 7 bits of a byte, lo + (128 − k)
   * reaches 128 exactly when lo ≥ k for k ≤ 128 (then any byte with its high bit set is also at
   * least k); for k > 128 a byte is at least k exactly when its high bit is set and
   * lo + (256 − k) reaches 128. No sum exceeds 254, so no carry crosses into the next byte.
   */
  static boolean anyAtLeast(byte[] b, int k) {
    boolean small = k <= 128;
    long add = (small ? 128 - k : 256 - k) * 0x0101010101010101L;
    long flags = 0;
    int i = 0;
    if (small) {
      for (; i + 8 <= b.length; i += 8) {
        long x = (long) LONGS.get(b, i);
        flags |= x | ((x & LOW7) + add);
      }
    } else {
      for (; i + 8 <= b.length; i += 8) {
        long x = (long) LONGS.get(b, i);
        flags |= x & ((x & LOW7) + add);
      }
    }
    if ((flags & HIGH) != 0) {
      return true;
    }
    for (; i < b.length; i++) {
      if ((b[i] & 0xFF) >= k) {
        return true;
      }
    }
    return false;
  }

  public Schema schema() {
    return schema;
  }

  public int rows() {
    return rows;
  }

  /** The code of a discrete cell. */
  public int code(int row, int feature) {
    Object c = columns[feature];
    if (c instanceof byte[] b) {
      return b[row] & 0xFF;
    }
    if (c instanceof int[] a) {
      return a[row];
    }
    throw new IllegalArgumentException("feature '" + schema.feature(feature).name()
        + "' is continuous");
  }

  /** The value of a continuous cell (or the code of a discrete one, as a double). */
  public double value(int row, int feature) {
    Object c = columns[feature];
    if (c instanceof double[] a) {
      return a[row];
    }
    return code(row, feature);
  }

  /** The backing codes of a feature stored as bytes; read with {@code & 0xFF}; never write. */
  public byte[] bytes(int feature) {
    if (columns[feature] instanceof byte[] b) {
      return b;
    }
    throw new IllegalArgumentException("feature '" + schema.feature(feature).name()
        + "' is not stored as bytes");
  }

  /** The backing codes of a discrete feature with more than 256 levels; never write. */
  public int[] ints(int feature) {
    if (columns[feature] instanceof int[] a) {
      return a;
    }
    throw new IllegalArgumentException("feature '" + schema.feature(feature).name()
        + "' is not stored as ints");
  }

  /** The backing values of a continuous feature; never write. */
  public double[] doubles(int feature) {
    if (columns[feature] instanceof double[] a) {
      return a;
    }
    throw new IllegalArgumentException("feature '" + schema.feature(feature).name()
        + "' is not continuous");
  }

  /** Columns that describe the rows but are not model input, if any. */
  public Optional<Dataset> metadata() {
    return Optional.ofNullable(metadata);
  }

  /** This data with other (or no) metadata. */
  public Dataset withMetadata(Dataset newMetadata) {
    if (newMetadata != null && newMetadata.rows != rows) {
      throw new IllegalArgumentException("metadata rows differ");
    }
    return new Dataset(schema, rows, columns, newMetadata);
  }

  /** A copy of rows [from, to). */
  public Dataset slice(int from, int to) {
    Objects.checkFromToIndex(from, to, rows);
    Object[] out = new Object[columns.length];
    for (int f = 0; f < columns.length; f++) {
      Object c = columns[f];
      if (c instanceof byte[] b) {
        out[f] = Arrays.copyOfRange(b, from, to);
      } else if (c instanceof int[] a) {
        out[f] = Arrays.copyOfRange(a, from, to);
      } else {
        out[f] = Arrays.copyOfRange((double[]) c, from, to);
      }
    }
    return new Dataset(schema, to - from, out, metadata == null ? null : metadata.slice(from, to));
  }

  /** A copy of the given rows, in the given order (indices may repeat). */
  public Dataset select(int[] rowIndices) {
    int n = rowIndices.length;
    for (int r : rowIndices) {
      Objects.checkIndex(r, rows);
    }
    Object[] out = new Object[columns.length];
    for (int f = 0; f < columns.length; f++) {
      Object c = columns[f];
      if (c instanceof byte[] b) {
        byte[] o = new byte[n];
        for (int i = 0; i < n; i++) {
          o[i] = b[rowIndices[i]];
        }
        out[f] = o;
      } else if (c instanceof int[] a) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
          o[i] = a[rowIndices[i]];
        }
        out[f] = o;
      } else {
        double[] a = (double[]) c;
        double[] o = new double[n];
        for (int i = 0; i < n; i++) {
          o[i] = a[rowIndices[i]];
        }
        out[f] = o;
      }
    }
    return new Dataset(schema, n, out, metadata == null ? null : metadata.select(rowIndices));
  }

  /** The rows of several datasets of one schema, one after the other. */
  public static Dataset concat(List<Dataset> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("nothing to concatenate");
    }
    Schema schema = parts.get(0).schema;
    long total = 0;
    boolean withMeta = true;
    for (Dataset d : parts) {
      if (!d.schema.equals(schema)) {
        throw new IllegalArgumentException("schemas differ: " + schema.difference(d.schema));
      }
      total += d.rows;
      withMeta &= d.metadata != null;
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw PmodelException.badInput("too many rows for one dataset: " + total);
    }
    int n = (int) total;
    Object[] out = new Object[schema.size()];
    for (int f = 0; f < out.length; f++) {
      Object col = newColumn(schema.feature(f), n);
      int at = 0;
      for (Dataset d : parts) {
        System.arraycopy(d.columns[f], 0, col, at, d.rows);
        at += d.rows;
      }
      out[f] = col;
    }
    Dataset meta = null;
    if (withMeta) {
      meta = concat(parts.stream().map(d -> d.metadata).toList());
    }
    return new Dataset(schema, n, out, meta);
  }

  /**
   * A SHA-256 fingerprint of the schema and every value, as "sha256:hex"; two datasets with the
   * same fingerprint hold the same data. Metadata is not included. See {@link DataFingerprint}.
   */
  public String fingerprint() {
    DataFingerprint f = new DataFingerprint(schema);
    f.add(this);
    return f.finish();
  }

  /** Builds a dataset row by row, growing its columns as needed (used by readers). */
  public static Builder builder(Schema schema) {
    return new Builder(schema, 1024);
  }

  /** Appends rows to growing primitive columns. */
  public static final class Builder {
    private final Schema schema;
    private final Object[] columns;
    private int rows;
    private int capacity;

    Builder(Schema schema, int capacity) {
      this.schema = schema;
      this.capacity = capacity;
      this.columns = new Object[schema.size()];
      for (int f = 0; f < columns.length; f++) {
        columns[f] = newColumn(schema.feature(f), capacity);
      }
    }

    public Schema schema() {
      return schema;
    }

    public int rows() {
      return rows;
    }

    /**
     * Appends one row: {@code codes[f]} for discrete features, {@code values[f]} for continuous
     * ones; the caller has validated them.
     */
    public void add(int[] codes, double[] values) {
      if (rows == capacity) {
        grow();
      }
      for (int f = 0; f < columns.length; f++) {
        Object c = columns[f];
        if (c instanceof byte[] b) {
          b[rows] = (byte) codes[f];
        } else if (c instanceof int[] a) {
          a[rows] = codes[f];
        } else {
          ((double[]) c)[rows] = values[f];
        }
      }
      rows++;
    }

    private void grow() {
      if (capacity >= Integer.MAX_VALUE - 16) {
        throw PmodelException.badInput("too many rows for one dataset");
      }
      int next = (int) Math.min(Integer.MAX_VALUE - 16L, capacity * 2L);
      for (int f = 0; f < columns.length; f++) {
        Object c = columns[f];
        if (c instanceof byte[] b) {
          columns[f] = Arrays.copyOf(b, next);
        } else if (c instanceof int[] a) {
          columns[f] = Arrays.copyOf(a, next);
        } else {
          columns[f] = Arrays.copyOf((double[]) c, next);
        }
      }
      capacity = next;
    }

    /** The rows added so far. */
    public Dataset build() {
      return build(null);
    }

    /** The rows added so far, with metadata. */
    public Dataset build(Dataset metadata) {
      Object[] out = new Object[columns.length];
      for (int f = 0; f < columns.length; f++) {
        Object c = columns[f];
        if (c instanceof byte[] b) {
          out[f] = Arrays.copyOf(b, rows);
        } else if (c instanceof int[] a) {
          out[f] = Arrays.copyOf(a, rows);
        } else {
          out[f] = Arrays.copyOf((double[]) c, rows);
        }
      }
      return Dataset.of(schema, rows, out, metadata);
    }
  }
}
