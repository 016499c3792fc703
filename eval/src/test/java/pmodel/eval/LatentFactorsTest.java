package pmodel.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.api.Test;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.RandomStreams;

/** R² of a factor on latent coordinates, on data whose answer is known. */
class LatentFactorsTest {
  /** n rows of dims standard-normal coordinates. */
  static double[] normals(int n, int dims, long seed) {
    ZigguratSampler.NormalizedGaussian g =
        ZigguratSampler.NormalizedGaussian.of(RandomStreams.create(seed, 0));
    double[] z = new double[n * dims];
    for (int i = 0; i < z.length; i++) {
      z[i] = g.sample();
    }
    return z;
  }

  @Test
  void anExactLinearFactorIsExplainedCompletely() {
    double[] z = normals(500, 2, 1);
    double[] y = new double[500];
    for (int i = 0; i < y.length; i++) {
      y[i] = 3 + 2 * z[2 * i] - z[2 * i + 1];
    }
    assertThat(LatentFactors.rSquared(z, 2, y)).isCloseTo(1, within(1e-12));
  }

  @Test
  void aFactorPlusNoiseIsExplainedByItsShareOfTheVariance() {
    // y = z1 + e with var(z1) = var(e) = 1: the population R² is 1/2. The sampling standard
    // deviation of R² is about sqrt(4 R² (1 - R²)² / n) = 0.005 for n = 20,000, so 0.02 is
    // four standard deviations.
    int n = 20_000;
    double[] z = normals(n, 3, 2);
    double[] e = normals(n, 1, 3);
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = z[3 * i] + e[i];
    }
    assertThat(LatentFactors.rSquared(z, 3, y)).isCloseTo(0.5, within(0.02));
  }

  @Test
  void anIndependentFactorIsNotExplained() {
    // Under independence (n - k) R² / (1 - R²) is about chi-squared with k - 1 = 2 degrees of
    // freedom: E[R²] = 2/(n - 1) = 2e-4 for n = 10,000; P(R² > 0.002) = P(chi2_2 > 20) = e^-10.
    int n = 10_000;
    double[] z = normals(n, 2, 4);
    double[] y = normals(n, 1, 5);
    assertThat(LatentFactors.rSquared(z, 2, y)).isBetween(0.0, 0.002);
  }

  @Test
  void badShapesAndDegenerateDataAreRefusedInWords() {
    double[] z = normals(10, 2, 6);
    assertThatThrownBy(() -> LatentFactors.rSquared(z, 2, new double[9]))
        .isInstanceOf(PmodelException.class).hasMessageContaining("expected rows × dims");
    assertThatThrownBy(() -> LatentFactors.rSquared(new double[6], 2, new double[3]))
        .isInstanceOf(PmodelException.class)
        .hasMessageContaining("expected more rows than coefficients");
    assertThatThrownBy(() -> LatentFactors.rSquared(z, 2, new double[10]))
        .isInstanceOf(PmodelException.class).hasMessageContaining("constant");
    double[] collinear = new double[20];
    double[] y = normals(10, 1, 7);
    for (int i = 0; i < 10; i++) {
      collinear[2 * i] = z[2 * i];
      collinear[2 * i + 1] = 2 * z[2 * i];
    }
    assertThatThrownBy(() -> LatentFactors.rSquared(collinear, 2, y))
        .isInstanceOf(PmodelException.class).hasMessageContaining("collinear");
  }
}
