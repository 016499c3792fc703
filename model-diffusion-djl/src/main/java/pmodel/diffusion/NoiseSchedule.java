package pmodel.diffusion;

import pmodel.api.error.PmodelException;

/**
 * The fixed forward process of a DDPM (Ho et al. 2020): T noise levels β_1..β_T and every
 * quantity derived from them, in float64. Step t of the paper is index {@code i = t − 1} of
 * every array here.
 *
 * <ul>
 *   <li>q(x_t | x_{t−1}) = N(√(1 − β_t) x_{t−1}, β_t I);</li>
 *   <li>q(x_t | x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I) with ᾱ_t = Π_{s ≤ t} (1 − β_s);</li>
 *   <li>q(x_{t−1} | x_t, x_0) = N(c0_t x_0 + ct_t x_t, β̃_t I) with
 *       c0_t = √ᾱ_{t−1} β_t / (1 − ᾱ_t), ct_t = √(1 − β_t)(1 − ᾱ_{t−1}) / (1 − ᾱ_t),
 *       β̃_t = β_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t) (ᾱ_0 = 1, so β̃_1 = 0).</li>
 * </ul>
 *
 * <p>Two schedules: {@code linear} (DDPM: β evenly from β_start to β_end) and {@code cosine}
 * (Nichol and Dhariwal 2021: ᾱ_t = f(t)/f(0), f(t) = cos²((t/T + s)/(1 + s)·π/2), s = 0.008,
 * β_t capped at 0.999), which destroys information more evenly over t and gives better
 * likelihoods. Immutable.
 */
final class NoiseSchedule {
  static final String LINEAR = "linear";
  static final String COSINE = "cosine";
  /** The cosine schedule's offset s, which keeps β_1 from being vanishingly small. */
  static final double COSINE_OFFSET = 0.008;
  /** The cosine schedule's cap on β_t, which keeps the last steps from being singular. */
  static final double COSINE_MAX_BETA = 0.999;

  private final double[] betas;
  private final double[] alphaBar;
  private final double[] alphaBarPrev;
  private final double[] coefX0;
  private final double[] coefXt;
  private final double[] posteriorVariance;

  private NoiseSchedule(double[] betas) {
    int n = betas.length;
    this.betas = betas;
    alphaBar = new double[n];
    alphaBarPrev = new double[n];
    coefX0 = new double[n];
    coefXt = new double[n];
    posteriorVariance = new double[n];
    double prod = 1;
    for (int i = 0; i < n; i++) {
      alphaBarPrev[i] = prod;
      prod *= 1 - betas[i];
      alphaBar[i] = prod;
      coefX0[i] = Math.sqrt(alphaBarPrev[i]) * betas[i] / (1 - alphaBar[i]);
      coefXt[i] = Math.sqrt(1 - betas[i]) * (1 - alphaBarPrev[i]) / (1 - alphaBar[i]);
      posteriorVariance[i] = betas[i] * (1 - alphaBarPrev[i]) / (1 - alphaBar[i]);
    }
  }

  /**
   * The schedule {@code kind} over {@code steps} steps; {@code betaStart}, {@code betaEnd} are
   * the linear schedule's ends (unused by cosine). Absurd settings fail with one line.
   */
  static NoiseSchedule of(String kind, int steps, double betaStart, double betaEnd) {
    if (steps < 2) {
      throw PmodelException.badInput("timesteps=" + steps + " is too few; expected at least 2"
          + " (T = 1000 is usual)");
    }
    double[] b = new double[steps];
    switch (kind) {
      case LINEAR -> {
        checkBeta("beta-start", betaStart);
        checkBeta("beta-end", betaEnd);
        if (betaStart > betaEnd) {
          throw PmodelException.badInput("beta-start=" + betaStart + " exceeds beta-end="
              + betaEnd + "; expected beta-start <= beta-end (noise grows with t)");
        }
        for (int i = 0; i < steps; i++) {
          b[i] = betaStart + (betaEnd - betaStart) * i / (steps - 1);
        }
      }
      case COSINE -> {
        double f0 = cosineF(0, steps);
        double prev = 1;
        for (int i = 0; i < steps; i++) {
          double abar = cosineF(i + 1, steps) / f0;
          b[i] = Math.min(1 - abar / prev, COSINE_MAX_BETA);
          prev = abar;
        }
      }
      default -> throw PmodelException.badInput("schedule '" + kind + "' is unknown; expected "
          + LINEAR + " or " + COSINE);
    }
    return new NoiseSchedule(b);
  }

  /** A schedule of the given β's (tests). */
  static NoiseSchedule ofBetas(double[] betas) {
    if (betas.length < 2) {
      throw PmodelException.badInput(betas.length + " steps; expected at least 2");
    }
    for (int i = 0; i < betas.length; i++) {
      checkBeta("beta_" + (i + 1), betas[i]);
    }
    return new NoiseSchedule(betas.clone());
  }

  private static void checkBeta(String name, double beta) {
    if (!(beta > 0 && beta < 1)) {
      throw PmodelException.badInput(name + "=" + beta + " is not a noise variance; expected"
          + " 0 < beta < 1");
    }
  }

  private static double cosineF(int t, int steps) {
    double c = Math.cos(((double) t / steps + COSINE_OFFSET) / (1 + COSINE_OFFSET) * Math.PI / 2);
    return c * c;
  }

  /** T. */
  int steps() {
    return betas.length;
  }

  double beta(int i) {
    return betas[i];
  }

  double alphaBar(int i) {
    return alphaBar[i];
  }

  double alphaBarPrev(int i) {
    return alphaBarPrev[i];
  }

  /** c0: the weight of x_0 in the posterior mean of x_{t−1}. */
  double coefX0(int i) {
    return coefX0[i];
  }

  /** ct: the weight of x_t in the posterior mean of x_{t−1}. */
  double coefXt(int i) {
    return coefXt[i];
  }

  /** β̃_t, the posterior variance (0 at i = 0). */
  double posteriorVariance(int i) {
    return posteriorVariance[i];
  }

  /**
   * The variance σ_t² of the reverse step p(x_{t−1} | x_t): β_t when {@code large}, else β̃_t.
   * Both are the ends of the range Ho et al. found to give the same samples; the first gives
   * the better bound on data that is not a point mass (see the docs).
   */
  double reverseVariance(int i, boolean large) {
    return large ? betas[i] : posteriorVariance[i];
  }

  /** x̂_0 from x_t and a noise prediction: (x_t − √(1 − ᾱ_t) ε̂) / √ᾱ_t. */
  double predictX0(int i, double xt, double eps) {
    return (xt - Math.sqrt(1 - alphaBar[i]) * eps) / Math.sqrt(alphaBar[i]);
  }
}
