package pmodel.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import pmodel.api.compute.RandomStreams;

class GaussiansTest {
  private static final int N = 200_000;

  /**
   * Both forms draw standard normals. For N i.i.d. N(0, 1) values the sample mean has standard
   * error 1/√N = 0.00224 and the sample variance √(2/N) = 0.00316; 5 standard errors (0.0112,
   * 0.0158) fail a correct generator with probability below 1e-6, while a wrong radius or angle
   * moves the variance by far more.
   */
  @Test
  void bothFormsAreStandardNormal() {
    for (int form = 0; form < 2; form++) {
      float[] v = new float[N];
      if (form == 0) {
        Gaussians.fill(RandomStreams.create(1, 2), v, 0, N);
      } else {
        Gaussians.fillComplement(RandomStreams.create(1, 2), v, 0, N);
      }
      double mean = 0;
      for (float x : v) {
        mean += x;
      }
      mean /= N;
      double var = 0;
      double tail = 0;
      for (float x : v) {
        var += (x - mean) * (x - mean);
        tail += Math.abs(x) > 1.959964 ? 1 : 0;
      }
      var /= N - 1;
      assertThat(mean).isBetween(-0.0112, 0.0112);
      assertThat(var).isBetween(1 - 0.0158, 1 + 0.0158);
      // P(|Z| > 1.96) = 0.05; its standard error over N draws is √(0.05·0.95/N) = 0.00049
      assertThat(tail / N).isBetween(0.05 - 0.0025, 0.05 + 0.0025);
      for (float x : v) {
        assertThat(Float.isFinite(x)).isTrue();
      }
    }
  }

  @Test
  void sameSeedSameValuesAndAnOddRangeIsFilled() {
    float[] a = new float[7];
    float[] b = new float[7];
    Gaussians.fill(RandomStreams.create(5, 0), a, 2, 7);
    Gaussians.fill(RandomStreams.create(5, 0), b, 2, 7);
    assertThat(a).containsExactly(b);
    assertThat(a[0]).isZero();
    assertThat(a[1]).isZero();
    assertThat(Arrays.copyOfRange(a, 2, 7)).doesNotContain(0f);
  }

  @Test
  void openUniformNeverTouchesTheEnds() {
    var rng = RandomStreams.create(3, 4);
    for (int i = 0; i < 100_000; i++) {
      double u = Gaussians.openUniform(rng);
      assertThat(u).isGreaterThan(0).isLessThan(1);
    }
  }
}
