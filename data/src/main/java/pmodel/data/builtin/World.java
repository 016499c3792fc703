package pmodel.data.builtin;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.Parallel;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;
import pmodel.api.sampling.AliasTable;

/**
 * The founding story's 'world': points (longitude, latitude) in degrees, uniform on land and never
 * at sea, so that P_data is known exactly.
 *
 * <p>Land is a mask of 2880 × 1440 cells of 1/8° × 1/8° (equirectangular, row 0 at +90°,
 * column 0 at −180°) derived once from Natural Earth's 1:50m land polygons (public domain, as the
 * {@code world-atlas} npm package ships them) by {@code tools/world-mask}: a cell is land when its
 * centre lies inside a land polygon. Points are uniform by surface area over the land cells: a
 * cell is drawn with probability proportional to its area on the sphere, then a point uniformly
 * by area inside it. The density in (longitude, latitude) is therefore
 * {@code cos(lat) / Z} on land and 0 at sea, with Z the land's area in the same units
 * (square degrees weighted by cos(lat)). Antarctica is land.
 */
public final class World {
  /** Columns of the mask. */
  public static final int WIDTH = 2880;
  /** Rows of the mask. */
  public static final int HEIGHT = 1440;
  /** The side of a mask cell, in degrees. */
  public static final double CELL_DEGREES = 360.0 / WIDTH;

  private static final int BLOCK = 1 << 13;
  private static final Schema SCHEMA = Schema.of(new ContinuousFeature("lon"),
      new ContinuousFeature("lat"));

  private World() {
  }

  /** Two continuous features: {@code lon} in [−180, 180], {@code lat} in [−90, 90]. */
  public static Schema schema() {
    return SCHEMA;
  }

  /** The land mask and the tables sampling needs, read once. */
  private static final class Mask {
    static final Mask INSTANCE = load();

    final long[] bits; // row-major, bit x of row y at index (y * WIDTH + x)
    final int[] landColumns; // land cells' columns, row by row
    final int[] rowStart; // landColumns[rowStart[y] .. rowStart[y+1]) are row y's
    final AliasTable rows; // a row with probability ∝ land cells · cell area
    final double logZ; // log of the land area in cos-weighted square degrees
    final int landCells;

    Mask(long[] bits) {
      this.bits = bits;
      rowStart = new int[HEIGHT + 1];
      int n = 0;
      for (int y = 0; y < HEIGHT; y++) {
        rowStart[y] = n;
        for (int x = 0; x < WIDTH; x++) {
          n += land(x, y) ? 1 : 0;
        }
      }
      rowStart[HEIGHT] = n;
      landCells = n;
      landColumns = new int[n];
      int at = 0;
      double[] weights = new double[HEIGHT];
      double z = 0;
      for (int y = 0; y < HEIGHT; y++) {
        for (int x = 0; x < WIDTH; x++) {
          if (land(x, y)) {
            landColumns[at++] = x;
          }
        }
        int count = rowStart[y + 1] - rowStart[y];
        // ∫∫ cos(lat) dlon dlat over one cell, lon and lat in degrees
        double cell = CELL_DEGREES * Math.toDegrees(Math.sin(Math.toRadians(top(y)))
            - Math.sin(Math.toRadians(top(y + 1))));
        weights[y] = count * cell;
        z += weights[y];
      }
      rows = AliasTable.of(weights);
      logZ = Math.log(z);
    }

    boolean land(int x, int y) {
      long i = (long) y * WIDTH + x;
      return (bits[(int) (i >>> 6)] >>> (i & 63) & 1) != 0;
    }

    static Mask load() {
      String name = "land-mask.bin.gz";
      try (InputStream raw = World.class.getResourceAsStream(name)) {
        if (raw == null) {
          throw PmodelException.failure("the land mask resource " + name + " is missing from"
              + " pmodel's api module", null);
        }
        DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16));
        byte[] magic = new byte[8];
        in.readFully(magic);
        int w = in.readInt();
        int h = in.readInt();
        if (!new String(magic, StandardCharsets.ISO_8859_1).equals("PMLAND1\n") || w != WIDTH
            || h != HEIGHT) {
          throw PmodelException.failure("the land mask resource is not a " + WIDTH + "x"
              + HEIGHT + " PMLAND1 mask", null);
        }
        byte[] packed = new byte[WIDTH / 8 * HEIGHT];
        in.readFully(packed);
        if (in.read() != -1) {
          throw PmodelException.failure("the land mask resource has trailing bytes", null);
        }
        long[] bits = new long[(WIDTH * HEIGHT + 63) / 64];
        for (int i = 0; i < packed.length; i++) {
          int b = packed[i] & 0xFF;
          for (int k = 0; k < 8; k++) {
            if ((b & (0x80 >> k)) != 0) {
              long cell = (long) i * 8 + k;
              bits[(int) (cell >>> 6)] |= 1L << (cell & 63);
            }
          }
        }
        return new Mask(bits);
      } catch (IOException e) {
        throw PmodelException.failure("cannot read the land mask resource: " + e.getMessage(), e);
      }
    }
  }

  /** The latitude of the top edge of mask row y (row HEIGHT is the south pole). */
  static double top(int y) {
    return 90 - y * CELL_DEGREES;
  }

  /** True when (lon, lat) lies in a land cell of the mask. */
  public static boolean onLand(double lon, double lat) {
    if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
      return false;
    }
    return Mask.INSTANCE.land(column(lon), row(lat));
  }

  private static int column(double lon) {
    return Math.min(WIDTH - 1, (int) ((lon + 180) / CELL_DEGREES));
  }

  private static int row(double lat) {
    return Math.min(HEIGHT - 1, (int) ((90 - lat) / CELL_DEGREES));
  }

  /** The number of land cells of the mask. */
  public static int landCells() {
    return Mask.INSTANCE.landCells;
  }

  /**
   * The exact log-density of P_data at (lon, lat), per square degree: log(cos(lat)) − log Z on
   * land, −∞ at sea or outside the map.
   */
  public static double logDensity(double lon, double lat) {
    if (!onLand(lon, lat)) {
      return Double.NEGATIVE_INFINITY;
    }
    return Math.log(Math.cos(Math.toRadians(lat))) - Mask.INSTANCE.logZ;
  }

  /**
   * The land mask as a picture of {@code width} × {@code width/2} pixels: true where the pixel's
   * centre is on land.
   */
  public static boolean[] landPicture(int width) {
    int height = width / 2;
    boolean[] out = new boolean[width * height];
    for (int py = 0; py < height; py++) {
      double lat = 90 - (py + 0.5) * 180.0 / height;
      for (int px = 0; px < width; px++) {
        out[py * width + px] = onLand(-180 + (px + 0.5) * 360.0 / width, lat);
      }
    }
    return out;
  }

  /**
   * {@code rows} independent points of P_data, drawn in blocks of 8192, each from its own stream
   * of {@code seed}, so the result does not depend on the thread count. {@code part} separates
   * independent draws with one seed (0 for training data, 1 for held-out data).
   */
  public static Dataset sample(int rows, long seed, int part) {
    Mask m = Mask.INSTANCE;
    double[] lon = new double[rows];
    double[] lat = new double[rows];
    long partSeed = RandomStreams.mix(seed, 0x776f726c64000000L + part);
    Parallel.forEachBlock(rows, BLOCK, Parallel.defaultThreads(), (block, from, to) -> {
      UniformRandomProvider rng = RandomStreams.create(partSeed, block);
      for (int i = from; i < to; i++) {
        int y = m.rows.sample(rng);
        int count = m.rowStart[y + 1] - m.rowStart[y];
        int x = m.landColumns[m.rowStart[y] + rng.nextInt(count)];
        // uniform by area inside the cell: lon uniform, sin(lat) uniform between the edges;
        // a draw that rounding puts on a neighbouring cell's edge is drawn again
        double s0 = Math.sin(Math.toRadians(top(y + 1)));
        double s1 = Math.sin(Math.toRadians(top(y)));
        double a;
        double b;
        do {
          a = -180 + (x + rng.nextDouble()) * CELL_DEGREES;
          b = Math.toDegrees(Math.asin(s0 + rng.nextDouble() * (s1 - s0)));
        } while (column(a) != x || row(b) != y);
        lon[i] = a;
        lat[i] = b;
      }
    });
    return Dataset.of(SCHEMA, rows, new Object[] {lon, lat});
  }

  /** The fraction of rows of a (lon, lat) dataset that lie on land. */
  public static double landFraction(Dataset points) {
    double[] lon = points.doubles(0);
    double[] lat = points.doubles(1);
    long on = 0;
    for (int i = 0; i < lon.length; i++) {
      on += onLand(lon[i], lat[i]) ? 1 : 0;
    }
    return points.rows() == 0 ? 0 : (double) on / points.rows();
  }
}
