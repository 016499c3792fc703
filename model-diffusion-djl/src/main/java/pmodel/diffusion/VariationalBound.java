package pmodel.diffusion;

import org.apache.commons.rng.UniformRandomProvider;
import pmodel.djl.Gaussians;

/**
 * The variational bound of a DDPM on −log p(x_0) (Ho et al. 2020, eq. 5), in nats per row of
 * the (standardized) data:
 *
 * <pre>
 *   L = KL(q(x_T | x_0) ‖ N(0, I))                                     prior term
 *     + Σ_{t=2..T} E_q[ KL(q(x_{t−1} | x_t, x_0) ‖ p_θ(x_{t−1} | x_t)) ]  T − 1 Gaussian KLs
 *     + E_q[ −log p_θ(x_0 | x_1) ]                                     decoder term
 * </pre>
 *
 * with p_θ(x_{t−1} | x_t) = N(c0_t x̂_0 + ct_t x_t, σ_t² I), x̂_0 from ε_θ(x_t, t), σ_t² = β_t
 * ("large") or β̃_t ("small"), and the decoder p_θ(x_0 | x_1) = N(x̂_0, β_1 I) for real
 * columns, exactly as the peer (ddpm_torch.py) computes it, so the two figures compare.
 *
 * <p>Each expectation over x_t is taken with one draw x_t ~ q(x_t | x_0) per row and step: an
 * unbiased estimate of L whose noise averages out over rows. Three estimators:
 * <ul>
 *   <li>{@link #full}: every one of the T terms (T network passes per row): the reference.</li>
 *   <li>{@link #sampledOverT}: m steps per row drawn from a proposal p(t), each term weighted
 *       by 1/p(t): unbiased for the same L at m passes per row, with a per-row variance
 *       estimate from the spread of the m weighted terms.</li>
 *   <li>{@link #trajectories}: the importance-weighted bound over k whole reverse trajectories
 *       (Burda et al. 2016): log (1/k) Σ_j p(x_{0:T}^j) / q(x_{1:T}^j | x_0); at k = 1 its
 *       expectation is −L, and it tightens towards log p(x_0) as k grows.</li>
 * </ul>
 * Every random draw of row r comes from the generator the caller gives for that row, so a row's
 * result does not depend on how rows are batched.
 */
final class VariationalBound {
  static final double LOG_2PI = Math.log(2 * Math.PI);

  private final NoiseSchedule schedule;
  private final boolean large;

  VariationalBound(NoiseSchedule schedule, boolean large) {
    this.schedule = schedule;
    this.large = large;
  }

  NoiseSchedule schedule() {
    return schedule;
  }

  /** KL(N(m1, v1) ‖ N(m2, v2)) for one coordinate, in nats. */
  static double gaussianKl(double m1, double v1, double m2, double v2) {
    double d = m1 - m2;
    return 0.5 * (Math.log(v2 / v1) + v1 / v2 - 1 + d * d / v2);
  }

  /** log N(x; m, v). */
  static double logNormal(double x, double m, double v) {
    double d = x - m;
    return -0.5 * (LOG_2PI + Math.log(v) + d * d / v);
  }

  /** The prior term KL(q(x_T | x_0) ‖ N(0, I)) of one row at {@code x0[off .. off + d)}. */
  double prior(double[] x0, int off, int d) {
    int last = schedule.steps() - 1;
    double a = Math.sqrt(schedule.alphaBar(last));
    double v = 1 - schedule.alphaBar(last);
    double s = 0;
    for (int j = 0; j < d; j++) {
      s += gaussianKl(a * x0[off + j], v, 0, 1);
    }
    return s;
  }

  /**
   * The term of step index i for one row given x_t and ε̂: the decoder's −log N(x_0; x̂_0, β_1)
   * at i = 0, else KL(q(x_{t−1} | x_t, x_0) ‖ p_θ(x_{t−1} | x_t)).
   */
  double term(int i, double[] x0, double[] xt, double[] eps, int off, int d) {
    double s = 0;
    if (i == 0) {
      double v = schedule.beta(0);
      for (int j = 0; j < d; j++) {
        double x0hat = schedule.predictX0(0, xt[off + j], eps[off + j]);
        double mean = schedule.coefX0(0) * x0hat + schedule.coefXt(0) * xt[off + j];
        s -= logNormal(x0[off + j], mean, v);
      }
      return s;
    }
    double c0 = schedule.coefX0(i);
    double ct = schedule.coefXt(i);
    double pv = schedule.posteriorVariance(i);
    double rv = schedule.reverseVariance(i, large);
    for (int j = 0; j < d; j++) {
      double x0hat = schedule.predictX0(i, xt[off + j], eps[off + j]);
      s += gaussianKl(c0 * x0[off + j] + ct * xt[off + j], pv,
          c0 * x0hat + ct * xt[off + j], rv);
    }
    return s;
  }

  /** Draws x_t ~ q(x_t | x_0) for one row into {@code xt}. */
  void noise(int i, double[] x0, double[] xt, int off, int d, UniformRandomProvider rng) {
    double a = Math.sqrt(schedule.alphaBar(i));
    double b = Math.sqrt(1 - schedule.alphaBar(i));
    for (int j = 0; j < d; j++) {
      xt[off + j] = a * x0[off + j] + b * Gaussians.next(rng);
    }
  }

  /**
   * The bound over all T terms for {@code rows} rows of {@code x0}; writes each row's L into
   * {@code out[outOff + r]}. Costs T network passes over the rows.
   */
  void full(NoisePredictor net, double[] x0, int rows, UniformRandomProvider[] rngs,
      double[] out, int outOff) {
    int d = net.dim();
    double[] xt = new double[rows * d];
    double[] eps = new double[rows * d];
    int[] t = new int[rows];
    for (int r = 0; r < rows; r++) {
      out[outOff + r] = prior(x0, r * d, d);
    }
    for (int i = schedule.steps() - 1; i >= 0; i--) {
      for (int r = 0; r < rows; r++) {
        t[r] = i;
        noise(i, x0, xt, r * d, d, rngs[r]);
      }
      net.predict(xt, t, rows, eps);
      for (int r = 0; r < rows; r++) {
        out[outOff + r] += term(i, x0, xt, eps, r * d, d);
      }
    }
  }

  /**
   * The importance-sampled estimate over t: prior + (1/m) Σ_j L_{t_j} / p(t_j) with t_j drawn
   * from {@code proposal} (cumulative probabilities over the T indices). Writes each row's
   * estimate into {@code out} and the estimated variance of that estimate (the sample variance
   * of the m weighted terms over m) into {@code variance}.
   */
  void sampledOverT(NoisePredictor net, double[] x0, int rows, int m, Proposal proposal,
      UniformRandomProvider[] rngs, double[] out, double[] variance, int outOff) {
    int d = net.dim();
    int n = rows * m;
    double[] x0s = new double[n * d];
    double[] xt = new double[n * d];
    double[] eps = new double[n * d];
    int[] t = new int[n];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < m; j++) {
        int k = r * m + j;
        t[k] = proposal.draw(rngs[r]);
        System.arraycopy(x0, r * d, x0s, k * d, d);
        noise(t[k], x0s, xt, k * d, d, rngs[r]);
      }
    }
    net.predict(xt, t, n, eps);
    for (int r = 0; r < rows; r++) {
      double sum = 0;
      double sq = 0;
      for (int j = 0; j < m; j++) {
        int k = r * m + j;
        double w = term(t[k], x0s, xt, eps, k * d, d) / proposal.probability(t[k]);
        sum += w;
        sq += w * w;
      }
      double mean = sum / m;
      out[outOff + r] = prior(x0, r * d, d) + mean;
      variance[outOff + r] = m > 1 ? Math.max(0, (sq - m * mean * mean) / (m - 1)) / m
          : Double.NaN;
    }
  }

  /**
   * The importance-weighted lower bound on log p(x_0) over {@code k} trajectories per row
   * (see the class comment): x_T ~ q(x_T | x_0), then x_{t−1} ~ q(x_{t−1} | x_t, x_0) down to
   * x_1, each trajectory's log-weight accumulating log p_θ − log q at every step. Costs T
   * network passes over rows × k points. Writes log-likelihood bounds (not L) into out.
   */
  void trajectories(NoisePredictor net, double[] x0, int rows, int k,
      UniformRandomProvider[] rngs, double[] out, int outOff) {
    int d = net.dim();
    int n = rows * k;
    int last = schedule.steps() - 1;
    double[] x = new double[n * d];
    double[] logW = new double[n];
    double[] eps = new double[n * d];
    int[] t = new int[n];
    double aT = Math.sqrt(schedule.alphaBar(last));
    double vT = 1 - schedule.alphaBar(last);
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < k; j++) {
        int p = r * k + j;
        for (int c = 0; c < d; c++) {
          double mean = aT * x0[r * d + c];
          double v = mean + Math.sqrt(vT) * Gaussians.next(rngs[r]);
          x[p * d + c] = v;
          logW[p] += logNormal(v, 0, 1) - logNormal(v, mean, vT);
        }
      }
    }
    for (int i = last; i >= 0; i--) {
      java.util.Arrays.fill(t, i);
      net.predict(x, t, n, eps);
      double c0 = schedule.coefX0(i);
      double ct = schedule.coefXt(i);
      double pv = schedule.posteriorVariance(i);
      double rv = i == 0 ? schedule.beta(0) : schedule.reverseVariance(i, large);
      for (int p = 0; p < n; p++) {
        int r = p / k;
        for (int c = 0; c < d; c++) {
          double xi = x[p * d + c];
          double x0hat = schedule.predictX0(i, xi, eps[p * d + c]);
          double model = c0 * x0hat + ct * xi;
          if (i == 0) {
            logW[p] += logNormal(x0[r * d + c], model, rv);
          } else {
            double post = c0 * x0[r * d + c] + ct * xi;
            double v = post + Math.sqrt(pv) * Gaussians.next(rngs[r]);
            logW[p] += logNormal(v, model, rv) - logNormal(v, post, pv);
            x[p * d + c] = v;
          }
        }
      }
    }
    for (int r = 0; r < rows; r++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        max = Math.max(max, logW[r * k + j]);
      }
      double s = 0;
      for (int j = 0; j < k; j++) {
        s += Math.exp(logW[r * k + j] - max);
      }
      out[outOff + r] = max + Math.log(s / k);
    }
  }

  /**
   * A proposal over the T step indices for {@link #sampledOverT}: probabilities and their
   * cumulative sums, drawn by binary search on a uniform (O(log T) per draw).
   */
  static final class Proposal {
    private final double[] p;
    private final double[] cumulative;

    Proposal(double[] probabilities) {
      double sum = 0;
      for (double v : probabilities) {
        if (!(v > 0) || !Double.isFinite(v)) {
          throw new IllegalArgumentException("proposal probability " + v);
        }
        sum += v;
      }
      p = new double[probabilities.length];
      cumulative = new double[probabilities.length];
      double c = 0;
      for (int i = 0; i < p.length; i++) {
        p[i] = probabilities[i] / sum;
        c += p[i];
        cumulative[i] = c;
      }
      cumulative[p.length - 1] = 1;
    }

    /** The uniform proposal over T steps. */
    static Proposal uniform(int steps) {
      double[] p = new double[steps];
      java.util.Arrays.fill(p, 1.0 / steps);
      return new Proposal(p);
    }

    /**
     * The proposal of improved DDPM (Nichol and Dhariwal 2021): p(t) ∝ √E[L_t²] from a pilot
     * of per-step terms ({@code meanSquare[i]}), mixed half and half with the uniform so that
     * no weight 1/p(t) exceeds 2T.
     */
    static Proposal fromPilot(double[] meanSquare) {
      int n = meanSquare.length;
      double sum = 0;
      for (double v : meanSquare) {
        sum += Math.sqrt(Math.max(0, v));
      }
      double[] q = new double[n];
      for (int i = 0; i < n; i++) {
        double pilot = sum > 0 && Double.isFinite(sum) ? Math.sqrt(Math.max(0, meanSquare[i])) / sum
            : 1.0 / n;
        q[i] = 0.5 / n + 0.5 * pilot;
      }
      return new Proposal(q);
    }

    double probability(int i) {
      return p[i];
    }

    double[] probabilities() {
      return p.clone();
    }

    int draw(UniformRandomProvider rng) {
      double u = rng.nextDouble();
      int lo = 0;
      int hi = cumulative.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cumulative[mid] > u) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return lo;
    }
  }
}
