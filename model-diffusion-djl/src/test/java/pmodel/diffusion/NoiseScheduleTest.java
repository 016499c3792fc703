package pmodel.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.RandomStreams;
import pmodel.djl.Gaussians;

/** The forward process: closed forms against simulation and against their definitions. */
class NoiseScheduleTest {
  /**
   * q(x_t | x_0) = N(√ᾱ_t x_0, 1 − ᾱ_t) against t sequential steps
   * x_s = √(1 − β_s) x_{s−1} + √β_s z_s simulated N times from one x_0. Tolerances: the sample
   * mean of N draws of variance v has standard deviation √(v/N); the sample variance has
   * standard deviation v √(2/(N − 1)) (Gaussian draws). Five standard deviations: a false
   * failure has probability below 6e-7 per comparison.
   */
  @Test
  void closedFormMatchesSequentialNoising() {
    int n = 40_000;
    double x0 = 1.3;
    for (String kind : new String[] {NoiseSchedule.LINEAR, NoiseSchedule.COSINE}) {
      NoiseSchedule s = NoiseSchedule.of(kind, 200, 1e-4, 0.02);
      int[] checks = {1, 10, 100, 200};
      double[] x = new double[n];
      java.util.Arrays.fill(x, x0);
      UniformRandomProvider rng = RandomStreams.create(11, 1);
      int done = 0;
      for (int t : checks) {
        for (int step = done; step < t; step++) {
          double b = s.beta(step);
          for (int k = 0; k < n; k++) {
            x[k] = Math.sqrt(1 - b) * x[k] + Math.sqrt(b) * Gaussians.next(rng);
          }
        }
        done = t;
        double mean = 0;
        for (double v : x) {
          mean += v;
        }
        mean /= n;
        double var = 0;
        for (double v : x) {
          var += (v - mean) * (v - mean);
        }
        var /= n - 1;
        double m = Math.sqrt(s.alphaBar(t - 1)) * x0;
        double v = 1 - s.alphaBar(t - 1);
        assertThat(mean).as("%s mean at t=%d", kind, t).isCloseTo(m,
            org.assertj.core.data.Offset.offset(5 * Math.sqrt(v / n)));
        assertThat(var).as("%s variance at t=%d", kind, t).isCloseTo(v,
            org.assertj.core.data.Offset.offset(5 * v * Math.sqrt(2.0 / (n - 1))));
      }
    }
  }

  /**
   * The posterior q(x_{t−1} | x_t, x_0) is Bayes' rule on q(x_{t−1} | x_0) q(x_t | x_{t−1}):
   * the product of N(√ᾱ_{t−1} x_0, 1 − ᾱ_{t−1}) and the likelihood of x_t, whose precision and
   * mean are computed here directly; float64 rounding only (1e-12).
   */
  @Test
  void posteriorIsBayesRule() {
    NoiseSchedule s = NoiseSchedule.of(NoiseSchedule.COSINE, 50, 0, 0);
    double x0 = -0.7;
    double xt = 0.4;
    for (int i = 1; i < 50; i++) {
      double priorVar = 1 - s.alphaBarPrev(i);
      double priorMean = Math.sqrt(s.alphaBarPrev(i)) * x0;
      double a = Math.sqrt(1 - s.beta(i));
      double precision = 1 / priorVar + a * a / s.beta(i);
      double mean = (priorMean / priorVar + a * xt / s.beta(i)) / precision;
      assertThat(s.posteriorVariance(i)).isCloseTo(1 / precision,
          org.assertj.core.data.Offset.offset(1e-12));
      assertThat(s.coefX0(i) * x0 + s.coefXt(i) * xt).isCloseTo(mean,
          org.assertj.core.data.Offset.offset(1e-12));
    }
    assertThat(s.posteriorVariance(0)).isZero();
  }

  @Test
  void cosineScheduleFollowsItsDefinition() {
    NoiseSchedule s = NoiseSchedule.of(NoiseSchedule.COSINE, 1000, 0, 0);
    double f0 = Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);
    double f = Math.pow(Math.cos((500.0 / 1000 + 0.008) / 1.008 * Math.PI / 2), 2);
    assertThat(s.alphaBar(499)).isCloseTo(f / f0, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(s.beta(999)).isLessThanOrEqualTo(NoiseSchedule.COSINE_MAX_BETA);
  }

  @Test
  void absurdSchedulesAreRefusedWithOneLine() {
    assertThatThrownBy(() -> NoiseSchedule.of(NoiseSchedule.LINEAR, 1, 1e-4, 0.02))
        .isInstanceOf(PmodelException.class).hasMessageContaining("timesteps=1")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> NoiseSchedule.of(NoiseSchedule.LINEAR, 10, -0.1, 0.02))
        .isInstanceOf(PmodelException.class).hasMessageContaining("beta-start=-0.1");
    assertThatThrownBy(() -> NoiseSchedule.of(NoiseSchedule.LINEAR, 10, 1e-4, 1.0))
        .isInstanceOf(PmodelException.class).hasMessageContaining("beta-end=1.0");
    assertThatThrownBy(() -> NoiseSchedule.of(NoiseSchedule.LINEAR, 10, 0.1, 0.01))
        .isInstanceOf(PmodelException.class).hasMessageContaining("exceeds");
    assertThatThrownBy(() -> NoiseSchedule.ofBetas(new double[] {0.1, 1.5}))
        .isInstanceOf(PmodelException.class).hasMessageContaining("beta_2=1.5");
  }
}
