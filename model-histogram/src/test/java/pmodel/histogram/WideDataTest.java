package pmodel.histogram;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;

/** Very wide data: counts that are astronomically large are computed in closed form. */
class WideDataTest {
  @Test
  void theFreeParametersOfTwoToTheEighteenPixelsAreComputedAtOnce() {
    int width = 1 << 9;
    int pixels = width * width; // 2^18 pixels of 256 levels
    Object[] cols = new Object[pixels];
    for (int j = 0; j < pixels; j++) {
      cols[j] = new byte[] {(byte) j, (byte) (j + 1)};
    }
    Dataset data = Dataset.of(Schema.image(width, width, 256), 2, cols);
    HistogramModel m = HistogramModelTest.fit(data, 1);
    // one multiplication per pixel took seconds here and hours at 2^20 pixels
    BigInteger free = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(2),
        m::freeParameters);
    // 256^(2^18) - 1 cells' probabilities, no continuous bounds
    assertThat(free).isEqualTo(BigInteger.ONE.shiftLeft(8 * pixels).subtract(BigInteger.ONE));
  }
}
