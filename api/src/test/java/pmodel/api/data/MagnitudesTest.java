package pmodel.api.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

class MagnitudesTest {
  @Test
  void theProductEqualsPlainMultiplication() {
    int[] factors = {3, 256, 7, 256, 3, 1, 10, 2};
    BigInteger plain = BigInteger.ONE;
    for (int k : factors) {
      plain = plain.multiply(BigInteger.valueOf(k));
    }
    assertThat(Magnitudes.product(factors)).isEqualTo(plain);
  }

  @Test
  void twoToTheTwentyFeaturesOf256LevelsTakeNoTime() {
    int[] factors = new int[1 << 20];
    java.util.Arrays.fill(factors, 256);
    factors[0] = 10;
    BigInteger p = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> Magnitudes.product(factors));
    // 10 * 256^(2^20 - 1): bit length 8 * (2^20 - 1) + 4
    assertThat(p.bitLength()).isEqualTo(8 * ((1 << 20) - 1) + 4);
    String shown = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(1),
        () -> Magnitudes.show(p));
    // log10(10 * 2^8388600) = 1 + 8388600 * log10(2) = 2525221.2216..., 10^0.2216 = 1.666
    assertThat(shown).isEqualTo("about 1.67e2525221");
  }

  @Test
  void smallNumbersAreShownExactly() {
    assertThat(Magnitudes.show(BigInteger.valueOf(12345))).isEqualTo("12345");
    BigInteger big = BigInteger.TEN.pow(400);
    assertThat(Magnitudes.show(big)).isEqualTo("about 1.00e400");
    assertThat(Magnitudes.log10(big)).isCloseTo(400, org.assertj.core.data.Offset.offset(1e-9));
  }
}
