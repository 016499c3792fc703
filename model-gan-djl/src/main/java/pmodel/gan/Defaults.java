package pmodel.gan;

import pmodel.api.params.Parameters;

/**
 * The rules that turn the automatic hyperparameters (0, the defaults) into numbers for a schema.
 * They depend only on the schema and the hyperparameters, never on the rows, so reading a model
 * file rebuilds the same networks. docs/models.md states each rule with its reason and the
 * measurements behind it.
 */
final class Defaults {
  /**
   * The default budget in generator steps. On ring8 (batch 256) 3,600 steps put 86.8% of the
   * samples within 3σ of a mode, where the 20 epochs of batch 64 of earlier versions (6,260
   * steps at a quarter of the batch, no R1) collapsed; for the convolutional pair (batch 64) it
   * is about four passes over Fashion-MNIST's 60,000 images.
   */
  static final int STEPS = 4000;

  /**
   * The default R1 weight γ. Without R1 the non-saturating game on ring8 collapsed (under 1% of
   * the samples within 3σ, fit seeds 8 and 9); γ = 0.1 gave 86.8% and 8 of 8 modes; γ = 1
   * over-smoothed the critic (69–74%). On the standardized data and the [−1, 1] pixels every
   * input is of unit scale, so one γ serves both network families.
   */
  static final double R1 = 0.1;

  private Defaults() {
  }

  /** Why {@code hidden} is malformed (a 0 beside other widths), or null. */
  static String checkHidden(Parameters params) {
    int[] h = params.integers("hidden");
    for (int w : h) {
      if (w == 0 && h.length > 1) {
        return "hidden=0 means automatic widths and must stand alone; got "
            + params.asStrings().get("hidden");
      }
    }
    return null;
  }

  /**
   * The latent dimension: as given, or 64 for the convolutional pair (DCGAN's usual size), or
   * the data vector's width within 16..64 for the MLP: a latent much narrower than the data
   * cannot cover its modes with a smooth map, and 16 is enough for low-dimensional tables.
   */
  static int latent(Nets.Kind kind, long width, Parameters params) {
    long given = params.integer("latent");
    if (given > 0) {
      return (int) given;
    }
    return kind == Nets.Kind.CONV ? 64 : (int) Math.max(16, Math.min(64, width));
  }

  /**
   * The MLP's hidden widths: as given, or three layers of 8 × the data vector's width rounded
   * up to a power of two within 128..512. Three layers of 128 fit ring8's eight modes; wider
   * data (one-hot tables, pixels) gets wider layers, capped at 512 to bound the cost of a step.
   */
  static int[] hidden(long width, Parameters params) {
    int[] given = params.integers("hidden");
    if (given.length != 1 || given[0] != 0) {
      return given;
    }
    long w = Long.highestOneBit(Math.max(1, 8 * width - 1)) << 1;
    int h = (int) Math.max(128, Math.min(512, w));
    return new int[] {h, h, h};
  }

  /** Rows per step: as given, or 256 for the MLP (smoother gradients on small tables) and 64
   * for the convolutional pair (DCGAN's batch; its steps cost more). */
  static int batch(Nets.Kind kind, Parameters params) {
    long given = params.integer("batch");
    if (given > 0) {
      return (int) given;
    }
    return kind == Nets.Kind.CONV ? 64 : 256;
  }

  /**
   * Adam's learning rate {@code name}: as given, or 2e-4 for the convolutional pair (DCGAN's
   * rate) and 1e-3 × √(64 / width) within 2e-4..1e-3 for the MLP: 1e-3 trains ring8's 2-column
   * MLP fast and stably; a wider input layer sums more terms, so the same step moves the
   * critic's score further and the rate shrinks with the square root of the width.
   */
  static double learningRate(Nets.Kind kind, long width, Parameters params, String name) {
    double given = params.real(name);
    if (given > 0) {
      return given;
    }
    if (kind == Nets.Kind.CONV) {
      return 2e-4;
    }
    return Math.max(2e-4, Math.min(1e-3, 1e-3 * Math.sqrt(64.0 / Math.max(1, width))));
  }
}
