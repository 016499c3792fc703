package pmodel.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.function.DoubleUnaryOperator;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;
import pmodel.api.compute.RandomStreams;
import pmodel.djl.Gaussians;

/** The variational bound's terms, the whole bound and its estimators, against the math. */
class VariationalBoundTest {
  /** Simpson's rule on [a, b] with n (even) intervals. */
  static double simpson(DoubleUnaryOperator f, double a, double b, int n) {
    double h = (b - a) / n;
    double s = f.applyAsDouble(a) + f.applyAsDouble(b);
    for (int i = 1; i < n; i++) {
      s += (i % 2 == 1 ? 4 : 2) * f.applyAsDouble(a + i * h);
    }
    return s * h / 3;
  }

  /**
   * Each KL term is the closed form for two Gaussians: against ∫ q log(q/p) by Simpson's rule
   * over ±14 standard deviations of q with 20,000 intervals (error O(h⁴), below 1e-10 here;
   * the tails beyond 14σ carry less than 1e-40).
   */
  @Test
  void gaussianKlIsTheIntegral() {
    double[][] cases = {{0, 1, 0, 1}, {0.3, 0.5, -0.2, 2}, {1, 1e-3, 1.05, 2e-3}, {-2, 4, 1, 0.7}};
    for (double[] c : cases) {
      double sd = Math.sqrt(c[1]);
      double numeric = simpson(x -> {
        double lq = VariationalBound.logNormal(x, c[0], c[1]);
        return Math.exp(lq) * (lq - VariationalBound.logNormal(x, c[2], c[3]));
      }, c[0] - 14 * sd, c[0] + 14 * sd, 20_000);
      assertThat(VariationalBound.gaussianKl(c[0], c[1], c[2], c[3])).as("KL %s",
          java.util.Arrays.toString(c)).isCloseTo(numeric, offset(1e-8));
    }
  }

  /** A smooth, non-linear predictor that is not optimal for anything (1-D). */
  static final class WigglyPredictor implements NoisePredictor {
    @Override
    public void predict(double[] x, int[] t, int rows, double[] out) {
      for (int r = 0; r < rows; r++) {
        out[r] = 0.3 * Math.tanh(x[r]) + 0.1 * (t[r] + 1);
      }
    }

    @Override
    public int dim() {
      return 1;
    }

    double at(double x, int i) {
      double[] o = new double[1];
      predict(new double[] {x}, new int[] {i}, 1, o);
      return o[0];
    }
  }

  /**
   * The whole bound on a problem small enough to integrate exactly: T = 2, one coordinate,
   * x_0 fixed. Brute force: E over the forward chain q(x_1 | x_0) q(x_2 | x_1) of
   * log q(x_1, x_2 | x_0) − log p(x_0, x_1, x_2), on a 2-D Simpson grid over ±12σ (no use of
   * the posterior q(x_1 | x_2, x_0) nor of any KL formula). The module's form: prior KL +
   * E_{x_2}[KL term] + E_{x_1}[decoder term], each expectation by 1-D Simpson. Both are
   * deterministic quadratures of smooth integrands, accurate to ~1e-7 at these grids.
   */
  @Test
  void fullBoundEqualsBruteForceOnATinyProblem() {
    NoiseSchedule s = NoiseSchedule.ofBetas(new double[] {0.1, 0.3});
    for (boolean large : new boolean[] {true, false}) {
      VariationalBound vb = new VariationalBound(s, large);
      WigglyPredictor net = new WigglyPredictor();
      double x0 = 0.7;
      double b1 = s.beta(0);
      double b2 = s.beta(1);
      // brute force over (x1, x2)
      double m1 = Math.sqrt(1 - b1) * x0;
      double sd1 = Math.sqrt(b1);
      double sd2 = Math.sqrt(b2);
      double brute = simpson(x1 -> {
        double lq1 = VariationalBound.logNormal(x1, m1, b1);
        double mean2 = Math.sqrt(1 - b2) * x1;
        double x0hat1 = s.predictX0(0, x1, net.at(x1, 0));
        double logDecoder = VariationalBound.logNormal(x0, x0hat1, b1);
        double inner = simpson(x2 -> {
          double lq2 = VariationalBound.logNormal(x2, mean2, b2);
          double x0hat2 = s.predictX0(1, x2, net.at(x2, 1));
          double mu = s.coefX0(1) * x0hat2 + s.coefXt(1) * x2;
          double lp = VariationalBound.logNormal(x2, 0, 1)
              + VariationalBound.logNormal(x1, mu, s.reverseVariance(1, large)) + logDecoder;
          return Math.exp(lq2) * (lq1 + lq2 - lp);
        }, mean2 - 12 * sd2, mean2 + 12 * sd2, 1200);
        return Math.exp(lq1) * inner;
      }, m1 - 12 * sd1, m1 + 12 * sd1, 1200);
      double[] x0a = {x0};
      double ours = vb.prior(x0a, 0, 1);
      for (int i = 0; i < 2; i++) {
        int step = i;
        double m = Math.sqrt(s.alphaBar(i)) * x0;
        double v = 1 - s.alphaBar(i);
        ours += simpson(xt -> {
          double[] eps = {net.at(xt, step)};
          return Math.exp(VariationalBound.logNormal(xt, m, v))
              * vb.term(step, x0a, new double[] {xt}, eps, 0, 1);
        }, m - 12 * Math.sqrt(v), m + 12 * Math.sqrt(v), 4000);
      }
      assertThat(ours).as("bound with large=%s", large).isCloseTo(brute, offset(1e-6));

      // the Monte Carlo estimator (one x_t per step) averages to that value: 20,000 rows of
      // the same x_0, mean within 5 standard errors
      int n = 20_000;
      double[] xs = new double[n];
      java.util.Arrays.fill(xs, x0);
      UniformRandomProvider[] rngs = new UniformRandomProvider[n];
      for (int r = 0; r < n; r++) {
        rngs[r] = RandomStreams.create(3, 7, r);
      }
      double[] out = new double[n];
      vb.full(net, xs, n, rngs, out, 0);
      double[] ms = meanAndStandardError(out);
      assertThat(ms[0]).isCloseTo(brute, offset(5 * ms[1]));
    }
  }

  static double[] meanAndStandardError(double[] v) {
    double mean = 0;
    for (double x : v) {
      mean += x;
    }
    mean /= v.length;
    double ss = 0;
    for (double x : v) {
      ss += (x - mean) * (x - mean);
    }
    return new double[] {mean, Math.sqrt(ss / (v.length - 1) / v.length)};
  }

  /**
   * The exact optimal noise predictor E[ε | x_t] of 1-D data from a Gaussian mixture: x_t is a
   * mixture of N(a m_k, a² s_k² + b²) (a = √ᾱ_t, b = √(1 − ᾱ_t)), E[x_0 | x_t, k] is the
   * Gaussian conditional mean, and ε̂ = (x_t − a E[x_0 | x_t]) / b.
   */
  static final class MixturePredictor implements NoisePredictor {
    final NoiseSchedule s;
    final double[] w;
    final double[] m;
    final double[] sd;

    MixturePredictor(NoiseSchedule s, double[] w, double[] m, double[] sd) {
      this.s = s;
      this.w = w;
      this.m = m;
      this.sd = sd;
    }

    @Override
    public void predict(double[] x, int[] t, int rows, double[] out) {
      for (int r = 0; r < rows; r++) {
        double a = Math.sqrt(s.alphaBar(t[r]));
        double b2 = 1 - s.alphaBar(t[r]);
        double[] logr = new double[w.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < w.length; k++) {
          logr[k] = Math.log(w[k]) + VariationalBound.logNormal(x[r], a * m[k],
              a * a * sd[k] * sd[k] + b2);
          max = Math.max(max, logr[k]);
        }
        double z = 0;
        double e0 = 0;
        for (int k = 0; k < w.length; k++) {
          double p = Math.exp(logr[k] - max);
          double v = sd[k] * sd[k];
          z += p;
          e0 += p * (m[k] + a * v * (x[r] - a * m[k]) / (a * a * v + b2));
        }
        out[r] = (x[r] - a * e0 / z) / Math.sqrt(b2);
      }
    }

    @Override
    public int dim() {
      return 1;
    }

    double logDensity(double x) {
      double p = 0;
      for (int k = 0; k < w.length; k++) {
        p += w[k] * Math.exp(VariationalBound.logNormal(x, m[k], sd[k] * sd[k]));
      }
      return Math.log(p);
    }

    double[] draw(int n, long seed) {
      UniformRandomProvider rng = RandomStreams.create(seed, 1);
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        double u = rng.nextDouble();
        int k = 0;
        while (k < w.length - 1 && u > w[k]) {
          u -= w[k];
          k++;
        }
        x[i] = m[k] + sd[k] * Gaussians.next(rng);
      }
      return x;
    }
  }

  static UniformRandomProvider[] rowStreams(int n, long seed) {
    UniformRandomProvider[] rngs = new UniformRandomProvider[n];
    for (int r = 0; r < n; r++) {
      rngs[r] = RandomStreams.create(seed, 9, r);
    }
    return rngs;
  }

  /**
   * The bound is a bound: on a 1-D mixture whose density is known, with the exact optimal
   * predictor (the best any network can do) and T = 1000, the mean bound over 2,000 rows is
   * at least their mean exact NLL. Per-row differences (bound − NLL) are ≥ 0 in expectation;
   * their mean may fall below 0 only by noise: fail below −4 standard errors (one-sided,
   * false-failure probability 3e-5).
   */
  @Test
  void boundIsAtLeastTheExactNllOfAMixture() {
    NoiseSchedule s = NoiseSchedule.of(NoiseSchedule.LINEAR, 1000, 1e-4, 0.02);
    MixturePredictor net = new MixturePredictor(s, new double[] {0.3, 0.7},
        new double[] {-1.2, 0.6}, new double[] {0.15, 0.3});
    int n = 2000;
    double[] x = net.draw(n, 5);
    for (boolean large : new boolean[] {true, false}) {
      double[] out = new double[n];
      new VariationalBound(s, large).full(net, x, n, rowStreams(n, 1), out, 0);
      double[] gap = new double[n];
      for (int r = 0; r < n; r++) {
        gap[r] = out[r] + net.logDensity(x[r]);
      }
      double[] ms = meanAndStandardError(gap);
      assertThat(ms[0]).as("mean bound − exact NLL (large=%s), SE %s", large, ms[1])
          .isGreaterThan(-4 * ms[1]);
    }
  }

  /**
   * A cross-check with the peer's independent implementation (benchmarks/peers/README.md): on 1-D
   * Gaussian data with σ = 0.5 and the exact optimal predictor, T = 1000 linear, σ_t² = β_t,
   * ddpm_torch.py's bound is 0.740 nats against the exact NLL 0.730 of its rows: a gap of
   * 0.010. Our per-row gap (bound − exact NLL of the same row) has little noise; its mean must
   * agree with 0.010 within 4 standard errors plus 0.001 (both peer figures are rounded to
   * 0.0005).
   */
  @Test
  void gaussianBoundGapAgreesWithThePeer() {
    NoiseSchedule s = NoiseSchedule.of(NoiseSchedule.LINEAR, 1000, 1e-4, 0.02);
    MixturePredictor net = new MixturePredictor(s, new double[] {1}, new double[] {0},
        new double[] {0.5});
    int n = 4000;
    double[] x = net.draw(n, 8);
    double[] out = new double[n];
    new VariationalBound(s, true).full(net, x, n, rowStreams(n, 2), out, 0);
    double[] gap = new double[n];
    for (int r = 0; r < n; r++) {
      gap[r] = out[r] + net.logDensity(x[r]);
    }
    double[] ms = meanAndStandardError(gap);
    assertThat(ms[0]).as("gap, SE %s", ms[1]).isCloseTo(0.010, offset(4 * ms[1] + 1e-3));
  }

  /**
   * The importance-sampled estimate over t is unbiased for the full sum: per row both estimate
   * the same bound, so the mean of their differences over 2,000 rows is 0 up to noise; fail
   * beyond 4 standard errors of that mean (two-sided, false-failure probability 6e-5). With the
   * uniform proposal and with the pilot-shaped one. The reported Monte Carlo variance must not
   * understate the spread: the differences' variance is the IS variance plus the full sum's,
   * so the mean reported IS variance may not exceed it (within the 4-SE noise of a variance
   * estimate from 2,000 rows, a factor 1 + 4√(2/2000) = 1.13).
   */
  @Test
  void importanceSampledEstimateAgreesWithTheFullSum() {
    NoiseSchedule s = NoiseSchedule.of(NoiseSchedule.COSINE, 400, 0, 0);
    MixturePredictor net = new MixturePredictor(s, new double[] {0.5, 0.5},
        new double[] {-1, 1}, new double[] {0.2, 0.2});
    VariationalBound vb = new VariationalBound(s, true);
    int n = 2000;
    double[] x = net.draw(n, 4);
    double[] full = new double[n];
    vb.full(net, x, n, rowStreams(n, 3), full, 0);
    double[] meanSquare = new double[s.steps()];
    double[] xt = new double[1];
    double[] eps = new double[1];
    UniformRandomProvider rng = RandomStreams.create(1, 2);
    for (int i = 0; i < s.steps(); i++) {
      for (int r = 0; r < 200; r++) {
        vb.noise(i, x, xt, 0, 1, rng);
        net.predict(xt, new int[] {i}, 1, eps);
        double v = vb.term(i, new double[] {x[0]}, xt, eps, 0, 1);
        meanSquare[i] += v * v / 200;
      }
    }
    for (VariationalBound.Proposal p : new VariationalBound.Proposal[] {
        VariationalBound.Proposal.uniform(s.steps()),
        VariationalBound.Proposal.fromPilot(meanSquare)}) {
      double[] is = new double[n];
      double[] var = new double[n];
      vb.sampledOverT(net, x, n, 16, p, rowStreams(n, 4), is, var, 0);
      double[] d = new double[n];
      double meanVar = 0;
      for (int r = 0; r < n; r++) {
        d[r] = is[r] - full[r];
        meanVar += var[r] / n;
      }
      double[] ms = meanAndStandardError(d);
      assertThat(ms[0]).isCloseTo(0, offset(4 * ms[1]));
      double dVar = ms[1] * ms[1] * n;
      assertThat(meanVar).isLessThan(dVar * (1 + 4 * Math.sqrt(2.0 / n)));
    }
  }
}
