package pmodel.vae;

import org.apache.commons.rng.UniformRandomProvider;

/** Standard normal variates from a uniform generator (Box–Muller, one value per call pair-free). */
final class Gaussians {
  private Gaussians() {
  }

  /** One N(0, 1) value. */
  static double next(UniformRandomProvider rng) {
    double u = Likelihood.openUniform(rng);
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Fills {@code out} with N(0, 1) values, two per Box–Muller pair. */
  static void fill(UniformRandomProvider rng, float[] out, int from, int to) {
    int i = from;
    while (i < to) {
      double r = Math.sqrt(-2 * Math.log(Likelihood.openUniform(rng)));
      double a = 2 * Math.PI * rng.nextDouble();
      out[i++] = (float) (r * Math.cos(a));
      if (i < to) {
        out[i++] = (float) (r * Math.sin(a));
      }
    }
  }
}
