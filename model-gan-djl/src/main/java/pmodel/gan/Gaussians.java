package pmodel.gan;

import org.apache.commons.rng.UniformRandomProvider;

/** Standard normal variates from a uniform generator, by the Box–Muller transform. */
final class Gaussians {
  private Gaussians() {
  }

  /** Fills {@code out[from, to)} with independent N(0, 1) values, two per uniform pair. */
  static void fill(UniformRandomProvider rng, float[] out, int from, int to) {
    int i = from;
    while (i < to) {
      double r = Math.sqrt(-2 * Math.log(1 - rng.nextDouble()));
      double a = 2 * Math.PI * rng.nextDouble();
      out[i++] = (float) (r * Math.cos(a));
      if (i < to) {
        out[i++] = (float) (r * Math.sin(a));
      }
    }
  }
}
