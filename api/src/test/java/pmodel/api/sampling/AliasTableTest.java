package pmodel.api.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pmodel.api.PmodelException;
import pmodel.api.compute.RandomStreams;
import pmodel.api.eval.ChiSquare;

class AliasTableTest {
  private static double[] weights(int n, long seed) {
    UniformRandomProvider rng = RandomStreams.create(seed, 0);
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = rng.nextDouble() < 0.2 ? 0 : rng.nextDouble() * (i % 7 + 1);
    }
    w[n / 2] += 1; // at least one positive weight
    return w;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 255, 256, 257, 4032, 4096, 70_000})
  void tableProbabilitiesEqualTheWeightsToDoublePrecision(int n) {
    double[] w = weights(n, n);
    double sum = 0;
    for (double x : w) {
      sum += x;
    }
    AliasTable t = AliasTable.of(w);
    assertThat(t.size()).isEqualTo(n);
    for (int i = 0; i < n; i += Math.max(1, n / 500)) {
      // integer numerators out of 2^(m+b) >= 2^53 per entry: the error is a few ulps of 1
      assertThat(t.probability(i)).isCloseTo(w[i] / sum, within(1e-14));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 256, 257, 4032})
  void samplesPassAChiSquareTestAgainstTheWeights(int n) {
    double[] w = weights(n, 7 * n);
    AliasTable t = AliasTable.of(w);
    UniformRandomProvider rng = RandomStreams.create(42, n);
    long[] counts = new long[n];
    for (int i = 0; i < 200_000; i++) {
      counts[t.sample(rng)]++;
    }
    ChiSquare.Result r = ChiSquare.test(counts, w);
    assertThat(r.pValue()).as(r.toString()).isGreaterThan(ChiSquare.SIGNIFICANCE);
  }

  @Test
  void zeroWeightsAreNeverSampled() {
    AliasTable t = AliasTable.of(new double[] {0, 3, 0, 1, 0});
    UniformRandomProvider rng = RandomStreams.create(1, 1);
    byte[] out = new byte[100_000];
    t.sample(rng, out, 0, out.length);
    for (byte b : out) {
      assertThat((int) b).isIn(1, 3);
    }
  }

  @Test
  void bulkSamplingEqualsOneAtATime() {
    AliasTable t = AliasTable.of(weights(200, 3));
    byte[] bulk = new byte[10_000];
    t.sample(RandomStreams.create(9, 9), bulk, 0, bulk.length);
    UniformRandomProvider rng = RandomStreams.create(9, 9);
    for (byte b : bulk) {
      assertThat(b & 0xFF).isEqualTo(t.sample(rng));
    }
  }

  @Test
  void theBranchFreeChoiceSplitsEachEntryExactlyAtItsThreshold() {
    // Weights 1:3 over two entries (m = 1, 53 threshold bits): entry 0 keeps outcome 0 below
    // 2^53 / 4 = 2^52 and hands the rest to its alias 1; entry 1 is all outcome 1.
    AliasTable t = AliasTable.of(new double[] {1, 3});
    assertThat(t.sample(0L)).isZero();
    assertThat(t.sample((1L << 52) - 1)).isZero();
    assertThat(t.sample(1L << 52)).isEqualTo(1);
    assertThat(t.sample((1L << 53) - 1)).isEqualTo(1);
    assertThat(t.sample(0x3FE0_0000_0000_0005L)).as("bits 53..62 are unused").isZero();
    assertThat(t.sample(Long.MIN_VALUE)).isEqualTo(1);
    assertThat(t.sample(-1L)).isEqualTo(1);
  }

  @Test
  void intBulkSamplingEqualsOneAtATime() {
    AliasTable t = AliasTable.of(weights(4032, 5));
    int[] bulk = new int[10_000];
    t.sample(RandomStreams.create(3, 4), bulk, 10, bulk.length);
    UniformRandomProvider rng = RandomStreams.create(3, 4);
    for (int i = 10; i < bulk.length; i++) {
      assertThat(bulk[i]).isEqualTo(t.sample(rng));
    }
  }

  @Test
  void invalidWeightsAreRefused() {
    assertThatThrownBy(() -> AliasTable.of(new double[0])).isInstanceOf(PmodelException.class);
    assertThatThrownBy(() -> AliasTable.of(new double[] {1, -1}))
        .isInstanceOf(PmodelException.class).hasMessageContaining("-1");
    assertThatThrownBy(() -> AliasTable.of(new double[] {1, Double.NaN}))
        .isInstanceOf(PmodelException.class);
    assertThatThrownBy(() -> AliasTable.of(new double[] {0, 0}))
        .isInstanceOf(PmodelException.class).hasMessageContaining("sum");
    assertThatThrownBy(() -> AliasTable.of(new double[] {1, Double.POSITIVE_INFINITY}))
        .isInstanceOf(PmodelException.class);
  }
}
