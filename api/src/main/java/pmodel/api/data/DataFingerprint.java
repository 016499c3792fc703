package pmodel.api.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 fingerprint of a schema and every value, computed incrementally: rows are hashed in
 * blocks of {@link #BLOCK} rows, column by column within a block, so a data set read in chunks
 * (each a multiple of BLOCK rows, except the last) has the same fingerprint as the whole data set
 * in memory. Metadata columns are not included.
 */
public final class DataFingerprint {
  /** Rows per hashed block; chunks other than the last must be multiples of it. */
  public static final int BLOCK = 1 << 16;

  private final Schema schema;
  private final MessageDigest md;
  private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
  private long rows;
  private boolean closed;

  public DataFingerprint(Schema schema) {
    this.schema = schema;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    md.update(schema.toString().getBytes(StandardCharsets.UTF_8));
    for (Feature f : schema.features()) {
      md.update(f.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Adds the next rows. */
  public void add(Dataset chunk) {
    if (closed) {
      throw new IllegalStateException("a chunk that is not a multiple of " + BLOCK
          + " rows must be the last");
    }
    if (!chunk.schema().equals(schema)) {
      throw new IllegalArgumentException("schema differs");
    }
    int n = chunk.rows();
    for (int from = 0; from < n; from += BLOCK) {
      int to = Math.min(n, from + BLOCK);
      for (int f = 0; f < schema.size(); f++) {
        if (schema.feature(f) instanceof DiscreteFeature d) {
          if (Dataset.storesBytes(d)) {
            md.update(chunk.bytes(f), from, to - from);
          } else {
            int[] a = chunk.ints(f);
            for (int i = from; i < to; i++) {
              if (buf.remaining() < 4) {
                flush();
              }
              buf.putInt(a[i]);
            }
          }
        } else {
          double[] a = chunk.doubles(f);
          for (int i = from; i < to; i++) {
            if (buf.remaining() < 8) {
              flush();
            }
            buf.putDouble(a[i]);
          }
        }
        flush();
      }
    }
    rows += n;
    closed = n % BLOCK != 0;
  }

  private void flush() {
    md.update(buf.array(), 0, buf.position());
    buf.clear();
  }

  /** The fingerprint of everything added, as "sha256:hex". */
  public String finish() {
    md.update(ByteBuffer.allocate(8).putLong(rows).array());
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }
}
