package pmodel.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.RandomStreams;

/** The eight-bytes-at-a-time code check of byte columns against the plain loop. */
class DatasetCheckTest {
  private static boolean plain(byte[] b, int k) {
    for (byte v : b) {
      if ((v & 0xFF) >= k) {
        return true;
      }
    }
    return false;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 100, 127, 128, 129, 130, 200, 254, 255})
  void anyAtLeastAgreesWithThePlainLoop(int k) {
    UniformRandomProvider rng = RandomStreams.create(k, 0);
    for (int trial = 0; trial < 2000; trial++) {
      byte[] b = new byte[rng.nextInt(40)];
      // values below k, with now and then one at or near k: both answers occur often
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) rng.nextInt(k);
      }
      if (b.length > 0 && rng.nextBoolean()) {
        int at = rng.nextInt(b.length);
        b[at] = (byte) Math.min(255, k - 1 + rng.nextInt(3));
      }
      assertThat(Dataset.anyAtLeast(b, k)).as("k=%d %s", k, java.util.Arrays.toString(b))
          .isEqualTo(plain(b, k));
    }
    for (int v = 0; v < 256; v++) {
      for (int at : new int[] {0, 7, 8, 15, 16, 20}) {
        byte[] b = new byte[21];
        b[at] = (byte) v;
        assertThat(Dataset.anyAtLeast(b, k)).as("k=%d v=%d at %d", k, v, at).isEqualTo(v >= k);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 200})
  void aCodeOutOfRangeIsNamedWithTheLargestCode(int k) {
    Schema s = Schema.of(DiscreteFeature.integer("a", k));
    byte[] col = new byte[100];
    col[37] = (byte) k;
    col[90] = (byte) (k + 1);
    assertThatThrownBy(() -> Dataset.of(s, 100, new Object[] {col}))
        .isInstanceOf(PmodelException.class)
        .hasMessage("column 'a' holds code " + (k + 1) + "; expected 0.." + (k - 1));
    col[37] = 0;
    col[90] = (byte) (k - 1);
    assertThat(Dataset.of(s, 100, new Object[] {col}).code(90, 0)).isEqualTo(k - 1);
  }
}
