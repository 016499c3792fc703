package pmodel.vae;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pmodel.data.builtin.Cans;
import pmodel.api.data.Dataset;
import pmodel.eval.LatentFactors;

/** What the convolutional VAE learns on cans, and that it trains reproducibly. */
class VaeConvTest {
  static final Map<String, String> CONV = Map.of("architecture", "conv", "channels", "8",
      "hidden", "64", "latent", "2", "epochs", "8", "batch", "64");

  @Test
  void posteriorMeansOfHeldOutCansExplainHeightAndWidth() {
    Dataset train = Cans.sample(3000, 21, 0);
    Dataset test = Cans.sample(1000, 21, 1);
    List<Double> loss = new ArrayList<>();
    VaeModel m = VaeModelTest.fit(train, CONV, 5, loss);
    assertThat(m.network().layout.convolutional()).isTrue();
    assertThat(m.describe(1).get(0)).startsWith("conv 32x32 -> 8x16x16 -> 16x8x8 -> 1024-64-2");
    // The loss falls from random weights (about 5700 nats per 32x32 image) by far more than
    // the epoch-to-epoch noise of a minibatch average (a few nats).
    assertThat(loss.get(loss.size() - 1)).isLessThan(loss.get(0) - 200);
    double[] z = m.encode(test);
    Dataset meta = test.metadata().orElseThrow();
    // R² >= 0.9 for each factor from a linear regression on the 2 coordinates, derived as in
    // VaeLatentAndTableTest: two independent uniform factors can both exceed 0.5 only if the
    // two coordinates carry both; 0.9 leaves room for a smooth non-linear code; the sampling
    // error of R² with 1000 held-out rows and 3 coefficients is about 0.01.
    assertThat(LatentFactors.rSquared(z, 2, meta.doubles(0))).isGreaterThan(0.9);
    assertThat(LatentFactors.rSquared(z, 2, meta.doubles(1))).isGreaterThan(0.9);
  }

  @Test
  void sameSeedSameParametersEvenWithAGarbageCollectionBeforeEveryBackwardPass() {
    Dataset data = Cans.sample(400, 3, 0);
    Map<String, String> small = Map.of("architecture", "conv", "channels", "4", "hidden",
        "16", "epochs", "2", "batch", "64");
    List<Double> loss = new ArrayList<>();
    VaeModel a = VaeModelTest.fit(data, small, 7, loss);
    // The DJL bug of docs/internals.md, "DJL's freed scalars": a freed scalar read by backward. A forced
    // collection between forward and backward in every step must change nothing.
    Training.betweenForwardAndBackward = System::gc;
    List<Double> gcLoss = new ArrayList<>();
    VaeModel b;
    try {
      b = VaeModelTest.fit(data, small, 7, gcLoss);
    } finally {
      Training.betweenForwardAndBackward = null;
    }
    assertThat(gcLoss).isEqualTo(loss);
    assertThat(b.network().values).isDeepEqualTo(a.network().values);
    assertThat(VaeModelTest.fit(data, small, 8, new ArrayList<>()).network().values[0])
        .isNotEqualTo(a.network().values[0]);
  }

  @Test
  void smallerInferenceBatchesGiveTheSameResults() {
    // A wide convolutional network gets inference batches small enough for its activations
    // (Network.Layout.rowsPerBatch); the results must not depend on that. Lowering the budget
    // to 40 rows' worth of the largest activation splits every batch here into several parts.
    Dataset data = Cans.sample(300, 3, 0);
    Dataset test = Cans.sample(90, 3, 1);
    VaeModel m = VaeModelTest.fit(data, Map.of("architecture", "conv", "channels", "4",
        "hidden", "16", "epochs", "1", "batch", "64"), 7, new ArrayList<>());
    Network.Layout lay = m.network().layout;
    assertThat(lay.rowsPerBatch(VaeModel.IW_BATCH)).isEqualTo(VaeModel.IW_BATCH);
    double[] bound = new double[90];
    double[] iw = new double[90];
    m.lowerBounds(test, bound, 5);
    m.importanceWeighted(test, 7, iw, 6);
    double[] z = m.encode(test);
    Dataset samples = m.sample(300, 4);
    Dataset means = m.decode(z, 90);
    long saved = Network.activationBudget;
    Network.activationBudget = 40 * lay.activationsPerRow();
    try {
      assertThat(lay.rowsPerBatch(VaeModel.IW_BATCH)).isEqualTo(40);
      double[] bound2 = new double[90];
      double[] iw2 = new double[90];
      m.lowerBounds(test, bound2, 5);
      m.importanceWeighted(test, 7, iw2, 6);
      // The same float32 arithmetic on other batch shapes: the kernels may block the sums
      // differently, which changes the last bits of a 1024-pixel sum (relative 1024 × 6e-8 =
      // 6e-5 at worst), nothing more.
      for (int i = 0; i < 90; i++) {
        assertThat(bound2[i]).isCloseTo(bound[i], org.assertj.core.api.Assertions.within(
            6e-5 * Math.abs(bound[i])));
        assertThat(iw2[i]).isCloseTo(iw[i], org.assertj.core.api.Assertions.within(
            6e-5 * Math.abs(iw[i])));
      }
      double[] z2 = m.encode(test);
      for (int i = 0; i < z.length; i++) {
        assertThat(z2[i]).isCloseTo(z[i], org.assertj.core.api.Assertions.within(1e-4));
      }
      // Samples and decoded means are levels rounded from the decoder's output: a last-bit
      // difference can move a value across a rounding boundary, which is rare (well under 1%).
      assertThat(sameLevels(m.sample(300, 4), samples)).isGreaterThan(0.99);
      assertThat(sameLevels(m.decode(z, 90), means)).isGreaterThan(0.99);
    } finally {
      Network.activationBudget = saved;
    }
  }

  private static double sameLevels(Dataset a, Dataset b) {
    long same = 0;
    long all = 0;
    for (int f = 0; f < a.schema().size(); f++) {
      byte[] x = a.bytes(f);
      byte[] y = b.bytes(f);
      for (int i = 0; i < x.length; i++) {
        same += x[i] == y[i] ? 1 : 0;
        all++;
      }
    }
    return (double) same / all;
  }
}
