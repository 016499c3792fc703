package pmodel.data.builtin;

import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.compute.Parallel;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;

/**
 * The founding story's 'cans': 32×32 grayscale images (256 levels) of a can whose only two
 * factors of variation are its height and its width, so a latent space of dimension 2 can
 * explain them completely. Each row carries the true factors as metadata columns
 * {@code height} and {@code width} (in pixels), for evaluation, not as model input.
 *
 * <p>The factors are independent and uniform: height on [{@value #MIN_HEIGHT},
 * {@value #MAX_HEIGHT}] pixels and width on [{@value #MIN_WIDTH}, {@value #MAX_WIDTH}]
 * pixels, both continuous. The can stands on row {@value #GROUND} (its bottom edge), centred
 * horizontally, on a black background. Its body is shaded like a cylinder lit from the front,
 * level {@code 60 + 160·sqrt(1 − u²)} at horizontal position u ∈ [−1, 1] across the can, and its
 * top {@value #LID} pixels are a bright lid (level 240). Edges are anti-aliased by 4×4
 * supersampling, so the image changes smoothly with both factors; there is no noise.
 */
public final class Cans {
  /** Image side in pixels. */
  public static final int SIDE = 32;
  public static final double MIN_HEIGHT = 10;
  public static final double MAX_HEIGHT = 28;
  public static final double MIN_WIDTH = 6;
  public static final double MAX_WIDTH = 24;
  /** The y coordinate of the can's bottom edge. */
  public static final double GROUND = 30;
  /** The height of the lid in pixels. */
  public static final double LID = 2;

  private static final int SUPER = 4;
  private static final int BLOCK = 1 << 10;
  private static final Schema SCHEMA = Schema.image(SIDE, SIDE, 256);
  private static final Schema META = Schema.of(new ContinuousFeature("height"),
      new ContinuousFeature("width"));

  private Cans() {
  }

  /** The image schema: 32×32 pixels of 256 levels. */
  public static Schema schema() {
    return SCHEMA;
  }

  /**
   * {@code rows} independent cans with their true height and width as metadata. Rows are
   * drawn in blocks of 1024, each from its own stream of {@code seed}, so the result does not
   * depend on the thread count; {@code part} separates independent draws with one seed (0 for
   * training data, 1 for held-out data).
   */
  public static Dataset sample(int rows, long seed, int part) {
    byte[][] cols = new byte[SIDE * SIDE][rows];
    double[] heights = new double[rows];
    double[] widths = new double[rows];
    long partSeed = RandomStreams.mix(seed, 0x63616e73L + part);
    Parallel.forEachBlock(rows, BLOCK, Parallel.defaultThreads(), (block, from, to) -> {
      UniformRandomProvider rng = RandomStreams.create(partSeed, block);
      byte[] img = new byte[SIDE * SIDE];
      for (int i = from; i < to; i++) {
        double h = MIN_HEIGHT + (MAX_HEIGHT - MIN_HEIGHT) * rng.nextDouble();
        double w = MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * rng.nextDouble();
        heights[i] = h;
        widths[i] = w;
        render(h, w, img);
        for (int p = 0; p < img.length; p++) {
          cols[p][i] = img[p];
        }
      }
    });
    Dataset meta = Dataset.of(META, rows, new Object[] {heights, widths});
    return Dataset.of(SCHEMA, rows, cols, meta);
  }

  /** Draws one can of height {@code h} and width {@code w} (pixels) into {@code out}. */
  public static void render(double h, double w, byte[] out) {
    double cx = SIDE / 2.0;
    double top = GROUND - h;
    double half = w / 2;
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        double sum = 0;
        for (int sy = 0; sy < SUPER; sy++) {
          double py = y + (sy + 0.5) / SUPER;
          if (py < top || py > GROUND) {
            continue;
          }
          for (int sx = 0; sx < SUPER; sx++) {
            double u = (x + (sx + 0.5) / SUPER - cx) / half;
            if (u < -1 || u > 1) {
              continue;
            }
            sum += py < top + LID ? 240 : 60 + 160 * Math.sqrt(1 - u * u);
          }
        }
        out[y * SIDE + x] = (byte) Math.round(sum / (SUPER * SUPER));
      }
    }
  }
}
