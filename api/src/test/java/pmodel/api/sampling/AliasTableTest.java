package pmodel.api.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.RandomStreams;

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

  /**
   * The documented bulk rule, written plainly: each 32-bit half picks entry i with its top m
   * bits; its other q = 32 - m bits against the threshold's top q bits decide, and a tie is
   * settled by the threshold's low b - q bits against the top b - q bits of the next number.
   */
  private static int referenceHalf(AliasTable t, long h, UniformRandomProvider rng) {
    int m = t.indexBits();
    int b = t.thresholdBits();
    int q = 32 - m;
    int i = (int) (h >>> q);
    long thr = t.entry(i) >>> m;
    int alias = (int) (t.entry(i) & ((1L << m) - 1));
    long u = h & ((1L << q) - 1);
    long thrHi = thr >>> (b - q);
    if (u != thrHi) {
      return u < thrHi ? i : alias;
    }
    long thrLo = thr & ((1L << (b - q)) - 1);
    return (rng.nextLong() >>> (64 - (b - q))) < thrLo ? i : alias;
  }

  private static int[] reference(AliasTable t, UniformRandomProvider rng, int count) {
    int[] out = new int[count];
    int j = 0;
    for (; j + 1 < count; j += 2) {
      long r = rng.nextLong();
      out[j] = referenceHalf(t, r >>> 32, rng);
      out[j + 1] = referenceHalf(t, r & 0xFFFF_FFFFL, rng);
    }
    if (j < count) {
      out[j] = referenceHalf(t, rng.nextLong() >>> 32, rng);
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(ints = {9_999, 10_000})
  void byteBulkSamplingFollowsTheTwoPerNumberRule(int count) {
    AliasTable t = AliasTable.of(weights(200, 3));
    byte[] bulk = new byte[count + 5];
    t.sample(RandomStreams.create(9, 9), bulk, 5, bulk.length);
    int[] expected = reference(t, RandomStreams.create(9, 9), count);
    for (int j = 0; j < count; j++) {
      assertThat(bulk[5 + j] & 0xFF).as("value %d", j).isEqualTo(expected[j]);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {4032, 40_000})
  void intBulkSamplingFollowsTheTwoPerNumberRuleIncludingTies(int n) {
    // 40,000 outcomes: m = 16, so a half ties with its threshold once in 2^16 values and the
    // 1,000,001 values below settle about 15 ties with a fresh number.
    AliasTable t = AliasTable.of(weights(n, 5));
    int count = 1_000_001;
    int[] bulk = new int[count];
    t.sample(RandomStreams.create(3, 4), bulk, 0, count);
    assertThat(bulk).isEqualTo(reference(t, RandomStreams.create(3, 4), count));
  }

  @Test
  void tablesAbove2To16EntriesUseOneNumberPerOutcomeInBulk() {
    AliasTable t = AliasTable.of(weights(70_000, 5));
    int[] bulk = new int[20_000];
    t.sample(RandomStreams.create(3, 4), bulk, 0, bulk.length);
    UniformRandomProvider rng = RandomStreams.create(3, 4);
    for (int v : bulk) {
      assertThat(v).isEqualTo(t.sample(rng));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 256, 4032})
  void bulkSamplesPassAChiSquareTestAgainstTheWeights(int n) {
    double[] w = weights(n, 11 * n);
    AliasTable t = AliasTable.of(w);
    int[] out = new int[200_000];
    t.sample(RandomStreams.create(43, n), out, 0, out.length);
    long[] counts = new long[n];
    for (int v : out) {
      counts[v]++;
    }
    ChiSquare.Result r = ChiSquare.test(counts, w);
    assertThat(r.pValue()).as(r.toString()).isGreaterThan(ChiSquare.SIGNIFICANCE);
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

  @Test
  void finiteWeightsWhoseSumOverflowsGiveTheTableOfTheirProportions() {
    double big = Math.scalb(1.0, 1023);
    AliasTable huge = AliasTable.of(new double[] {big, big, big / 2});
    AliasTable small = AliasTable.of(new double[] {2, 2, 1});
    UniformRandomProvider a = RandomStreams.create(7, 0);
    UniformRandomProvider b = RandomStreams.create(7, 0);
    for (int i = 0; i < 1000; i++) {
      assertThat(huge.sample(a)).isEqualTo(small.sample(b));
    }
  }
}
