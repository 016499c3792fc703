package pmodel.data.io;

import java.io.BufferedInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import pmodel.api.error.PmodelException;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Feature;
import pmodel.api.data.Schema;

/**
 * IDX files (the format of MNIST and Fashion-MNIST), gzipped or not, of unsigned bytes: 3
 * dimensions are images (n × height × width), 2 a table (n × d), 1 a single column (labels).
 *
 * <p>The header is checked against the file before anything is allocated: a header that claims
 * more data than the file holds (for gzip, the size recorded in its trailer) is refused.
 */
public final class IdxData {
  private static final int UBYTE = 0x08;

  private IdxData() {
  }

  /** The shape an IDX header declares. */
  public record Header(int[] dims, long dataBytes, int headerBytes) {
    public int count() {
      return dims[0];
    }
  }

  /** True when the file starts with gzip's magic number. */
  public static boolean isGzip(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * True when the file (decompressed if gzipped) starts like an IDX file: two zero bytes, one of
   * the IDX type codes (only unsigned bytes, 0x08, can be read) and 1 to 3 dimensions.
   */
  public static boolean looksLikeIdx(Path path) {
    try (InputStream in = open(path)) {
      int a = in.read();
      int b = in.read();
      int type = in.read();
      int dims = in.read();
      boolean knownType = type == 0x08 || type == 0x09 || (type >= 0x0B && type <= 0x0E);
      return a == 0 && b == 0 && knownType && dims >= 1 && dims <= 3;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static InputStream open(Path path) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
    if (isGzip(path)) {
      return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
    }
    return raw;
  }

  /** Reads an IDX file: images as an image schema of 256 levels, a table, or one column. */
  public static Dataset read(Path path) {
    try (Opened o = openChecked(path)) {
      InputStream in = o.in();
      Header h = header(in, path);
      int n = h.dims[0];
      int width = h.dims.length == 3 ? h.dims[1] * h.dims[2]
          : h.dims.length == 2 ? h.dims[1] : 1;
      if (n == 0) {
        throw PmodelException.badInput(path + ": the IDX header declares no rows; expected at"
            + " least one");
      }
      // the data first: a schema of 2^24 features is not built for a file that lacks them
      Object[] cols = readColumns(in, path, n, width, o.sized());
      Schema schema;
      if (h.dims.length == 3) {
        schema = Schema.image(h.dims[1], h.dims[2], 256);
      } else if (h.dims.length == 2) {
        Feature[] fs = new Feature[width];
        for (int i = 0; i < width; i++) {
          fs[i] = DiscreteFeature.integer("v" + i, 256);
        }
        schema = Schema.of(fs);
      } else {
        schema = Schema.of(DiscreteFeature.integer("value", 256));
      }
      return Dataset.of(schema, n, cols);
    } catch (IOException e) {
      throw readError(path, e);
    }
  }

  /** Reads a 1-D IDX label file of exactly {@code n} entries as a categorical column. */
  public static Dataset readLabels(Path path, int n, String name, List<String> levelNames) {
    try (Opened o = openChecked(path)) {
      InputStream in = o.in();
      Header h = header(in, path);
      if (h.dims.length != 1 || h.dims[0] != n) {
        throw PmodelException.badInput(path + ": expected " + n + " labels, the header declares "
            + java.util.Arrays.toString(h.dims));
      }
      Object[] cols = readColumns(in, path, n, 1, o.sized());
      DiscreteFeature f = levelNames == null ? DiscreteFeature.integer(name, 256)
          : DiscreteFeature.categorical(name, levelNames);
      return Dataset.of(Schema.of(f), n, cols);
    } catch (IOException e) {
      throw readError(path, e);
    }
  }

  private static PmodelException readError(Path path, IOException e) {
    if (e instanceof NoSuchFileException) {
      return PmodelException.badInput(path + ": no such file");
    }
    if (e instanceof EOFException || e instanceof ZipException) {
      return PmodelException.badInput(path + ": truncated or corrupt IDX file ("
          + e.getMessage() + ")", e);
    }
    return PmodelException.badInput(path + ": cannot be read: " + e.getMessage(), e);
  }

  /**
   * Opens the file; for a plain file, after checking that the header's claim fits the file's
   * size. A gzip file's trailer records only the size of its last member modulo 2^32, which a
   * forger sets at will (and which is wrong for multi-member files), so a gzip file is not
   * trusted: its columns grow as data actually arrives ({@link #readColumns}).
   */
  private static Opened openChecked(Path path) throws IOException {
    boolean gzip = isGzip(path);
    InputStream in = open(path);
    in.mark(64);
    Header h;
    try {
      h = header(in, path);
      in.reset();
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
    if (!gzip) {
      long holds = Files.size(path);
      long needed = h.headerBytes + h.dataBytes;
      if (needed > holds) {
        in.close();
        throw PmodelException.badInput(path + ": the IDX header declares " + describe(h)
            + " values = " + needed + " bytes, but the file holds " + holds
            + "; truncated or corrupt");
      }
    }
    return new Opened(in, !gzip);
  }

  /** An open IDX stream; {@code sized}: its header was checked against the file's size. */
  private record Opened(InputStream in, boolean sized) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  private static String describe(Header h) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < h.dims.length; i++) {
      sb.append(i == 0 ? "" : "x").append(h.dims[i]);
    }
    return sb.toString();
  }

  /** Reads and validates the header: magic, type, dimensions, total size below 2^31. */
  static Header header(InputStream in, Path path) throws IOException {
    byte[] magic = in.readNBytes(4);
    if (magic.length < 4 || magic[0] != 0 || magic[1] != 0) {
      throw PmodelException.badInput(path + ": not an IDX file (bad magic number)");
    }
    if ((magic[2] & 0xFF) != UBYTE) {
      throw PmodelException.badInput(path + ": IDX data type 0x"
          + Integer.toHexString(magic[2] & 0xFF) + " is not supported; expected unsigned bytes"
          + " (0x08)");
    }
    int ndim = magic[3] & 0xFF;
    if (ndim < 1 || ndim > 3) {
      throw PmodelException.badInput(path + ": IDX files of " + ndim
          + " dimensions are not supported; expected 1, 2 or 3");
    }
    int[] dims = new int[ndim];
    long total = 1;
    for (int i = 0; i < ndim; i++) {
      byte[] b = in.readNBytes(4);
      if (b.length < 4) {
        throw PmodelException.badInput(path + ": truncated IDX header");
      }
      long d = (b[0] & 0xFFL) << 24 | (b[1] & 0xFFL) << 16 | (b[2] & 0xFFL) << 8 | (b[3] & 0xFFL);
      if (d > Integer.MAX_VALUE || (i > 0 && d == 0)) {
        throw PmodelException.badInput(path + ": IDX dimension " + (i + 1) + " is " + d
            + "; expected 1.." + Integer.MAX_VALUE);
      }
      dims[i] = (int) d;
      total *= d;
      if (total > Integer.MAX_VALUE - 16L) {
        throw PmodelException.badInput(path + ": the IDX header declares more than 2^31 values");
      }
    }
    if (ndim >= 2 && (long) dims[ndim - 1] * (ndim == 3 ? dims[1] : 1) > 1 << 24) {
      throw PmodelException.badInput(path + ": IDX rows of more than 2^24 values are not"
          + " supported");
    }
    return new Header(dims, total, 4 + 4 * ndim);
  }

  /**
   * Reads n rows of width bytes, row-major in the file, into column-major byte arrays. When the
   * size is not {@code sized} (gzip), the columns start small and double as rows arrive, so
   * memory stays below twice the data actually present plus one 1 MB chunk, whatever the header
   * claims.
   */
  private static Object[] readColumns(InputStream in, Path path, int n, int width,
      boolean sized) throws IOException {
    int chunkRows = Math.max(1, (1 << 20) / width);
    int capacity = sized ? n : Math.min(n, chunkRows);
    byte[][] c = null;
    byte[] buf = sized ? new byte[Math.min(chunkRows, Math.max(n, 1)) * width] : null;
    for (int r0 = 0; r0 < n; r0 += chunkRows) {
      int rowsHere = Math.min(chunkRows, n - r0);
      int want = rowsHere * width;
      int got;
      if (sized) {
        got = in.readNBytes(buf, 0, want);
      } else {
        // readNBytes(len) grows its buffer only as bytes arrive: a header that declares 2^24
        // columns costs nothing until 2^24 bytes are really there
        buf = in.readNBytes(want);
        got = buf.length;
      }
      if (got < want) {
        throw PmodelException.badInput(path + ": truncated IDX file: the header declares " + n
            + " rows of " + width + " bytes; data ends in row " + (r0 + got / width + 1));
      }
      if (c == null) {
        // the columns are allocated once the first chunk is known to be present
        c = new byte[width][];
        for (int j = 0; j < width; j++) {
          c[j] = new byte[capacity];
        }
      }
      if (r0 + rowsHere > capacity) {
        capacity = (int) Math.min(n, Math.max(r0 + rowsHere, 2L * capacity));
        for (int j = 0; j < width; j++) {
          c[j] = java.util.Arrays.copyOf(c[j], capacity);
        }
      }
      transpose(buf, rowsHere, width, c, r0);
    }
    if (!sized && in.read() != -1) {
      // reading on to the end also makes GZIPInputStream check every member's CRC and length
      throw PmodelException.badInput(path + ": the file holds more data than the IDX header"
          + " declares (" + n + " rows of " + width + " bytes); corrupt");
    }
    Object[] cols = new Object[width];
    for (int j = 0; j < width; j++) {
      cols[j] = c == null ? new byte[0] : c[j];
    }
    return cols;
  }

  /** Scatters a row-major block into columns, in tiles so that both sides stay in cache. */
  static void transpose(byte[] buf, int rows, int width, byte[][] cols, int r0) {
    final int tile = 64;
    for (int j0 = 0; j0 < width; j0 += tile) {
      int j1 = Math.min(width, j0 + tile);
      for (int i0 = 0; i0 < rows; i0 += tile) {
        int i1 = Math.min(rows, i0 + tile);
        for (int j = j0; j < j1; j++) {
          byte[] col = cols[j];
          for (int i = i0; i < i1; i++) {
            col[r0 + i] = buf[i * width + j];
          }
        }
      }
    }
  }

  /**
   * Writes a dataset whose features are all discrete with at most 256 levels as IDX (3-D for
   * images, 2-D for tables), uncompressed, atomically.
   */
  public static void write(Path path, Dataset data) {
    Schema schema = data.schema();
    for (int f = 0; f < schema.size(); f++) {
      if (!(schema.feature(f) instanceof DiscreteFeature d) || d.cardinality() > 256) {
        throw PmodelException.badInput("cannot write " + path + " as IDX: feature '"
            + schema.feature(f).name() + "' is not discrete with at most 256 levels; write .csv");
      }
    }
    int width = schema.size();
    AtomicFiles.write(path, out -> {
      DataOutputStream d = new DataOutputStream(out);
      d.writeByte(0);
      d.writeByte(0);
      d.writeByte(UBYTE);
      if (schema.isImage()) {
        d.writeByte(3);
        d.writeInt(data.rows());
        d.writeInt(schema.image().orElseThrow().height());
        d.writeInt(schema.image().orElseThrow().width());
      } else {
        d.writeByte(2);
        d.writeInt(data.rows());
        d.writeInt(width);
      }
      byte[][] cols = new byte[width][];
      for (int j = 0; j < width; j++) {
        cols[j] = data.bytes(j);
      }
      int chunkRows = Math.max(1, (1 << 20) / width);
      byte[] buf = new byte[chunkRows * width];
      for (int r0 = 0; r0 < data.rows(); r0 += chunkRows) {
        int rowsHere = Math.min(chunkRows, data.rows() - r0);
        for (int i = 0; i < rowsHere; i++) {
          for (int j = 0; j < width; j++) {
            buf[i * width + j] = cols[j][r0 + i];
          }
        }
        d.write(buf, 0, rowsHere * width);
      }
      d.flush();
    });
  }
}
