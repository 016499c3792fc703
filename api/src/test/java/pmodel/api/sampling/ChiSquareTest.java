package pmodel.api.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ChiSquareTest {
  @Test
  void upperTailMatchesTabulatedQuantiles() {
    // Tabulated 0.999 quantiles of the chi-square distribution (e.g. NIST/SEMATECH handbook).
    assertThat(ChiSquare.upperTail(1, 10.828)).isCloseTo(0.001, within(2e-6));
    assertThat(ChiSquare.upperTail(10, 29.588)).isCloseTo(0.001, within(2e-6));
    assertThat(ChiSquare.upperTail(100, 149.449)).isCloseTo(0.001, within(2e-6));
    assertThat(ChiSquare.upperTail(2, 2 * Math.log(2))).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void rejectsAWrongDistributionAndAcceptsTheRightOne() {
    long[] observed = {5000, 5000};
    assertThat(ChiSquare.test(observed, new double[] {0.5, 0.5}).pValue()).isEqualTo(1.0);
    assertThat(ChiSquare.test(observed, new double[] {0.45, 0.55}).pValue()).isLessThan(1e-20);
  }
}
