package pmodel.data.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import pmodel.api.data.Dataset;
import pmodel.api.data.ProductSpace;
import pmodel.api.sampling.ChiSquare;

class OutfitsTest {
  @Test
  void pDataIsAProperDistributionOverTheStorysCells() {
    double[] p = Outfits.probabilities();
    assertThat(p).hasSize(3 * 8 * 4 * 6 * 7);
    double sum = 0;
    double entropy = 0;
    for (double x : p) {
      assertThat(x).isPositive();
      sum += x;
      entropy -= x * Math.log(x);
    }
    assertThat(sum).isCloseTo(1.0, within(1e-12));
    // KL(P_data || uniform) = log 4032 - H(P_data), documented as 1.248 nats
    assertThat(Math.log(4032) - entropy).isCloseTo(1.248, within(5e-4));
  }

  @Test
  void samplesFollowPData() {
    Dataset d = Outfits.sample(200_000, 11, 0);
    ProductSpace space = ProductSpace.of(Outfits.schema());
    long[] counts = new long[4032];
    for (int i = 0; i < d.rows(); i++) {
      counts[(int) space.index(d, i)]++;
    }
    ChiSquare.Result r = ChiSquare.test(counts, Outfits.probabilities());
    assertThat(r.pValue()).as(r.toString()).isGreaterThan(ChiSquare.SIGNIFICANCE);
  }

  @Test
  void sameSeedSameRowsAndTrainTestDiffer() {
    assertThat(Outfits.sample(10_000, 5, 0).fingerprint())
        .isEqualTo(Outfits.sample(10_000, 5, 0).fingerprint())
        .isNotEqualTo(Outfits.sample(10_000, 5, 1).fingerprint())
        .isNotEqualTo(Outfits.sample(10_000, 6, 0).fingerprint());
    // a prefix of a larger draw is the smaller draw (blocks depend only on the row index)
    assertThat(Outfits.sample(20_000, 5, 0).slice(0, 8192).fingerprint())
        .isEqualTo(Outfits.sample(8192, 5, 0).fingerprint());
  }
}
