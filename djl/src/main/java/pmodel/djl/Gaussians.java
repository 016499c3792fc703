package pmodel.djl;

import org.apache.commons.rng.UniformRandomProvider;

/**
 * Standard normal variates from a uniform generator, by the Box–Muller transform, two values
 * per pair of uniforms.
 *
 * <p>Two forms of the first uniform exist because the VAE and the GAN drew it differently before
 * they shared this class, and each keeps its own so that model files written earlier sample
 * exactly as before: {@link #fill} uses the open uniform ((k + ½)·2⁻⁵³, never 0 or 1, the VAE's
 * and every new plugin's), {@link #fillComplement} uses 1 − U[0, 1) (the GAN's).
 */
public final class Gaussians {
  private Gaussians() {
  }

  /** A uniform on the open interval (0, 1): ((k + ½)·2⁻⁵³ for a 53-bit k; never 0 or 1. */
  public static double openUniform(UniformRandomProvider rng) {
    return ((rng.nextLong() >>> 11) + 0.5) * 0x1.0p-53;
  }

  /** One N(0, 1) value (a whole Box–Muller pair is drawn; the second value is dropped). */
  public static double next(UniformRandomProvider rng) {
    double u = openUniform(rng);
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Fills {@code out[from, to)} with independent N(0, 1) values, radius from the open uniform. */
  public static void fill(UniformRandomProvider rng, float[] out, int from, int to) {
    int i = from;
    while (i < to) {
      double r = Math.sqrt(-2 * Math.log(openUniform(rng)));
      double a = 2 * Math.PI * rng.nextDouble();
      out[i++] = (float) (r * Math.cos(a));
      if (i < to) {
        out[i++] = (float) (r * Math.sin(a));
      }
    }
  }

  /** Fills {@code out[from, to)} with independent N(0, 1) values, radius from 1 − U[0, 1). */
  public static void fillComplement(UniformRandomProvider rng, float[] out, int from, int to) {
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
