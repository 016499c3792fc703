package pmodel.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Binning over the full range of doubles, where upper - lower overflows. */
class BinningRangeTest {
  @Test
  void valuesFromMinusToPlus1e308AreSpreadOverTheBins() {
    Binning b = Binning.fit("x", new double[] {-1e308, 1e308}, 4);
    assertThat(b.bin(-1e308)).isEqualTo(0);
    assertThat(b.bin(-0.6e308)).isEqualTo(0);
    assertThat(b.bin(-0.4e308)).isEqualTo(1);
    assertThat(b.bin(0)).isEqualTo(2);
    assertThat(b.bin(0.6e308)).isEqualTo(3);
    assertThat(b.bin(1e308)).isEqualTo(3);
    // width = 2e308 / 4 = 5e307, beyond no double but its log: log(5e307) = 708.0...
    assertThat(b.logWidth()).isCloseTo(Math.log(5) + 307 * Math.log(10), within(1e-9));
    for (int bin = 0; bin < 4; bin++) {
      double x = b.valueIn(bin, 0.5);
      assertThat(x).isFinite();
      assertThat(b.bin(x)).isEqualTo(bin);
    }
  }

  @Test
  void theLargestDoublesBinToo() {
    Binning b = Binning.fit("x", new double[] {-Double.MAX_VALUE, Double.MAX_VALUE}, 1);
    assertThat(b.bin(0)).isZero();
    assertThat(b.logWidth()).isFinite();
    assertThat(b.valueIn(0, 1)).isEqualTo(Double.MAX_VALUE);
  }

  @Test
  void aSingleLargeValueGetsABinAroundIt() {
    for (double v : new double[] {1e20, -1e300, Double.MAX_VALUE, -Double.MAX_VALUE, 0}) {
      Binning b = Binning.fit("x", new double[] {v, v}, 10);
      assertThat(b.lower()).isLessThanOrEqualTo(v);
      assertThat(b.upper()).isGreaterThanOrEqualTo(v).isGreaterThan(b.lower());
      assertThat(b.bin(v)).isBetween(0, 9);
      assertThat(b.logWidth()).isFinite();
    }
  }

  @Test
  void ordinaryRangesBinExactlyAsBefore() {
    Binning b = new Binning(0.1, 0.7, 6);
    for (double x = 0.1; x <= 0.7; x += 0.013) {
      assertThat(b.bin(x)).isEqualTo(Math.min((int) ((x - 0.1) / (0.7 - 0.1) * 6), 5));
    }
    assertThat(b.logWidth()).isEqualTo(Math.log((0.7 - 0.1) / 6));
  }
}
