package pmodel.data.builtin;

import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.compute.Parallel;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Schema;

/**
 * 'ring8': 2-D points from a mixture of eight Gaussians whose means lie evenly on a circle, the
 * standard test of whether a GAN covers every mode or collapses onto a few.
 *
 * <p>Mode k (k = 0..7, each of probability 1/8) is centred at (R cos 2πk/8, R sin 2πk/8) with
 * R = {@value #RADIUS}; each coordinate has independent Gaussian noise of standard deviation
 * σ = {@value #SIGMA}. Neighbouring centres are 2R sin(π/8) = 1.53 apart, about 31σ, so the
 * modes never overlap. Each row carries its mode as the metadata column {@code mode}, for
 * evaluation, not as model input.
 */
public final class Ring8 {
  /** The number of modes. */
  public static final int MODES = 8;
  /** The radius of the circle of centres. */
  public static final double RADIUS = 2.0;
  /** The standard deviation of each coordinate around its mode's centre. */
  public static final double SIGMA = 0.05;

  private static final int BLOCK = 1 << 13;
  private static final Schema SCHEMA = Schema.of(new ContinuousFeature("x"),
      new ContinuousFeature("y"));
  private static final Schema META = Schema.of(DiscreteFeature.integer("mode", MODES));

  private Ring8() {
  }

  /** The schema: two continuous features, x and y. */
  public static Schema schema() {
    return SCHEMA;
  }

  /** The centre of mode {@code k}: {x, y}. */
  public static double[] centre(int k) {
    double a = 2 * Math.PI * k / MODES;
    return new double[] {RADIUS * Math.cos(a), RADIUS * Math.sin(a)};
  }

  /** The mode whose centre is nearest to (x, y). */
  public static int nearestMode(double x, double y) {
    double a = Math.atan2(y, x);
    int k = (int) Math.round(a / (2 * Math.PI / MODES));
    return Math.floorMod(k, MODES);
  }

  /**
   * {@code rows} independent points, with their mode as metadata. Rows are drawn in blocks of
   * 8192, each from its own stream of {@code seed}, so the result does not depend on the thread
   * count; {@code part} separates independent draws with one seed (0 for training data, 1 for
   * held-out data).
   */
  public static Dataset sample(int rows, long seed, int part) {
    double[] xs = new double[rows];
    double[] ys = new double[rows];
    byte[] modes = new byte[rows];
    long partSeed = RandomStreams.mix(seed, 0x72696e6738L + part);
    Parallel.forEachBlock(rows, BLOCK, Parallel.defaultThreads(), (block, from, to) -> {
      UniformRandomProvider rng = RandomStreams.create(partSeed, block);
      for (int i = from; i < to; i++) {
        int k = rng.nextInt(MODES);
        double[] c = centre(k);
        // Box–Muller: two independent N(0, 1) values from two uniforms, 1 - u in (0, 1]
        double r = Math.sqrt(-2 * Math.log(1 - rng.nextDouble()));
        double t = 2 * Math.PI * rng.nextDouble();
        xs[i] = c[0] + SIGMA * r * Math.cos(t);
        ys[i] = c[1] + SIGMA * r * Math.sin(t);
        modes[i] = (byte) k;
      }
    });
    Dataset meta = Dataset.of(META, rows, new Object[] {modes});
    return Dataset.of(SCHEMA, rows, new Object[] {xs, ys}, meta);
  }
}
