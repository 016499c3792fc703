package pmodel.diffusion;

import java.util.function.IntConsumer;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.djl.Gaussians;

/**
 * The reverse processes that turn N(0, I) noise into samples, given any {@link NoisePredictor}
 * (the network is trained once; the sampler is chosen when sampling, as with diffusers'
 * schedulers).
 *
 * <ul>
 *   <li>{@link #ddpm}: ancestral sampling over all T steps, x_{t−1} ~ N(c0_t x̂_0 + ct_t x_t,
 *       σ_t²), the last step drawn from the decoder N(x̂_0, β_1): exactly the model whose
 *       bound is reported. Cost: T network passes.</li>
 *   <li>{@link #ddim}: DDIM (Song et al. 2021) over S of the T steps, τ = round(linspace(T−1,
 *       0, S)): x_prev = √ᾱ_prev x̂_0 + √(1 − ᾱ_prev − σ²) ε̂ + σ z with σ = η √((1 − ᾱ_prev)
 *       / (1 − ᾱ_t)) √(1 − ᾱ_t/ᾱ_prev); η = 0 is deterministic given the start, η = 1 the
 *       DDPM-like stochastic one. Cost: S passes, so about T/S times faster than DDPM.</li>
 * </ul>
 *
 * <p>Inpainting by replacement: with a {@link Replacement}, the fixed coordinates are
 * overwritten after every step with a draw of q(x_{t−1} | x_0 = given) and set to the given
 * value at the end. This is the usual approximation (Song et al. 2021, "SDE", appendix; Lugmayr
 * et al. 2022): the free coordinates are only nudged towards consistency with the given ones,
 * it is not exact sampling from p(x_free | x_given).
 */
final class Samplers {
  private Samplers() {
  }

  /** Coordinates fixed to values (in the network's standardized space). */
  record Replacement(int[] coordinates, double[] values) {
  }

  /**
   * Ancestral DDPM sampling of {@code rows} rows into {@code x} (rows × d), drawing all noise
   * from {@code rng}; {@code progress} receives the number of steps done after each step.
   */
  static void ddpm(NoisePredictor net, NoiseSchedule s, boolean large, int rows, double[] x,
      UniformRandomProvider rng, Replacement given, IntConsumer progress) {
    int d = net.dim();
    int n = rows * d;
    for (int k = 0; k < n; k++) {
      x[k] = Gaussians.next(rng);
    }
    int steps = s.steps();
    replace(s, steps - 1, given, rows, d, x, rng);
    double[] eps = new double[n];
    int[] t = new int[rows];
    for (int i = steps - 1; i >= 0; i--) {
      java.util.Arrays.fill(t, i);
      net.predict(x, t, rows, eps);
      double c0 = s.coefX0(i);
      double ct = s.coefXt(i);
      double sd = Math.sqrt(i == 0 ? s.beta(0) : s.reverseVariance(i, large));
      for (int k = 0; k < n; k++) {
        double x0hat = s.predictX0(i, x[k], eps[k]);
        x[k] = c0 * x0hat + ct * x[k] + sd * Gaussians.next(rng);
      }
      if (i > 0) {
        replace(s, i - 1, given, rows, d, x, rng);
      }
      if (progress != null) {
        progress.accept(steps - i);
      }
    }
    fix(given, rows, d, x);
  }

  /** The S step indices DDIM visits, from T − 1 down to 0. */
  static int[] ddimSteps(int steps, int sampleSteps) {
    int m = Math.min(sampleSteps, steps);
    int[] tau = new int[m];
    for (int k = 0; k < m; k++) {
      tau[k] = m == 1 ? steps - 1
          : (int) Math.round((steps - 1) - (double) (steps - 1) * k / (m - 1));
    }
    return tau;
  }

  /** DDIM sampling over {@code sampleSteps} steps with stochasticity {@code eta} ∈ [0, 1]. */
  static void ddim(NoisePredictor net, NoiseSchedule s, int sampleSteps, double eta, int rows,
      double[] x, UniformRandomProvider rng, Replacement given, IntConsumer progress) {
    int d = net.dim();
    int n = rows * d;
    for (int k = 0; k < n; k++) {
      x[k] = Gaussians.next(rng);
    }
    int[] tau = ddimSteps(s.steps(), sampleSteps);
    replace(s, tau[0], given, rows, d, x, rng);
    double[] eps = new double[n];
    int[] t = new int[rows];
    for (int k = 0; k < tau.length; k++) {
      int i = tau[k];
      java.util.Arrays.fill(t, i);
      net.predict(x, t, rows, eps);
      double ab = s.alphaBar(i);
      double abPrev = k + 1 < tau.length ? s.alphaBar(tau[k + 1]) : 1.0;
      double sigma = eta * Math.sqrt((1 - abPrev) / (1 - ab)) * Math.sqrt(1 - ab / abPrev);
      double dirScale = Math.sqrt(Math.max(0, 1 - abPrev - sigma * sigma));
      for (int c = 0; c < n; c++) {
        double x0hat = s.predictX0(i, x[c], eps[c]);
        x[c] = Math.sqrt(abPrev) * x0hat + dirScale * eps[c]
            + (sigma > 0 ? sigma * Gaussians.next(rng) : 0);
      }
      if (k + 1 < tau.length) {
        replace(s, tau[k + 1], given, rows, d, x, rng);
      }
      if (progress != null) {
        progress.accept(k + 1);
      }
    }
    fix(given, rows, d, x);
  }

  /** Overwrites the given coordinates with a draw of q(x_t | x_0 = given) at step index i. */
  private static void replace(NoiseSchedule s, int i, Replacement given, int rows, int d,
      double[] x, UniformRandomProvider rng) {
    if (given == null) {
      return;
    }
    double a = Math.sqrt(s.alphaBar(i));
    double b = Math.sqrt(1 - s.alphaBar(i));
    for (int r = 0; r < rows; r++) {
      for (int g = 0; g < given.coordinates().length; g++) {
        x[r * d + given.coordinates()[g]] = a * given.values()[g] + b * Gaussians.next(rng);
      }
    }
  }

  private static void fix(Replacement given, int rows, int d, double[] x) {
    if (given == null) {
      return;
    }
    for (int r = 0; r < rows; r++) {
      for (int g = 0; g < given.coordinates().length; g++) {
        x[r * d + given.coordinates()[g]] = given.values()[g];
      }
    }
  }
}
