package pmodel.vae;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pmodel.data.builtin.Cans;
import pmodel.data.builtin.Outfits;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Schema;
import pmodel.eval.LatentFactors;

/** What the latent space learns on cans, and the table likelihood's units. */
class VaeLatentAndTableTest {
  @Test
  void posteriorMeansOfHeldOutCansExplainHeightAndWidth() {
    Dataset train = Cans.sample(4000, 21, 0);
    Dataset test = Cans.sample(1000, 21, 1);
    VaeModel m = VaeModelTest.fit(train, Map.of("architecture", "mlp", "hidden", "256,64", "epochs", "15",
        "latent", "2"), 5, new ArrayList<>());
    double[] z = m.encode(test);
    Dataset meta = test.metadata().orElseThrow();
    double[] h = meta.doubles(0);
    double[] w = meta.doubles(1);
    // Threshold R² >= 0.9 for each factor from a linear regression on the 2 coordinates:
    // height and width are independent and uniform, so one latent direction u = a·h' + b·w'
    // (h', w' standardized) explains at most a² + b² = 1 in total, i.e. both factors can
    // exceed R² = 0.5 only if the two coordinates carry both. 0.9 leaves room for the
    // curvature of a learned (non-linear but smooth) code; with 1000 held-out rows and 3
    // coefficients the sampling error of R² is about 0.01.
    assertThat(LatentFactors.rSquared(z, 2, h)).isGreaterThan(0.9);
    assertThat(LatentFactors.rSquared(z, 2, w)).isGreaterThan(0.9);
  }

  @Test
  void tableLikelihoodIsADensityInTheDataUnits() {
    // x ~ N(10, 3²) and an independent fair coin c: the entropy is
    // H = ln 2 + ½ ln(2πe·9) = 3.2110 nats. Every model's expected NLL on held-out rows is at
    // least H (cross-entropy >= entropy); the decoder can represent this P_data exactly (a
    // constant mean and a learned scale), so a working fit comes close to H. A density in the
    // wrong units (a missing −ln σ for the standardization) would be off by ln 3 = 1.10.
    Schema schema = Schema.of(DiscreteFeature.categorical("c", List.of("heads", "tails")),
        new ContinuousFeature("x"));
    Dataset train = draw(schema, 3000, 1);
    Dataset test = draw(schema, 1000, 2);
    VaeModel m = VaeModelTest.fit(train, Map.of("hidden", "32", "epochs", "30",
        "latent", "1", "batch", "64"), 3, new ArrayList<>());
    assertThat(m.likelihood()).isInstanceOf(Likelihood.Table.class);
    double[] iw = new double[test.rows()];
    m.importanceWeighted(test, 50, iw, 4);
    double mean = 0;
    for (double v : iw) {
      mean -= v / iw.length;
    }
    double var = 0;
    for (double v : iw) {
      var += (-v - mean) * (-v - mean) / (iw.length - 1);
    }
    double se = Math.sqrt(var / iw.length);
    double entropy = Math.log(2) + 0.5 * Math.log(2 * Math.PI * Math.E * 9);
    // Lower side: the NLL estimate cannot be below H by more than 3 standard errors (the
    // upper-bound estimate −IW is >= the cross-entropy in expectation). Upper side: within
    // 0.15 nats of H, a tenth of the ln 3 a unit error would cost, plus sampling error.
    assertThat(mean).isGreaterThan(entropy - 3 * se).isLessThan(entropy + 0.15 + 3 * se);
    Dataset s = m.sample(4000, 9);
    double sx = 0;
    double heads = 0;
    for (int i = 0; i < s.rows(); i++) {
      sx += s.value(i, 1) / s.rows();
      heads += s.code(i, 0) == 0 ? 1.0 / s.rows() : 0;
    }
    // Sample mean of x: standard error 3/√4000 = 0.047; the model's own error adds a little.
    assertThat(sx).isBetween(10 - 0.3, 10 + 0.3);
    // Share of heads: standard error 0.5/√4000 = 0.008.
    assertThat(heads).isBetween(0.45, 0.55);
  }

  private static Dataset draw(Schema schema, int n, long seed) {
    Random r = new Random(seed);
    byte[] c = new byte[n];
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      c[i] = (byte) (r.nextBoolean() ? 1 : 0);
      x[i] = 10 + 3 * r.nextGaussian();
    }
    return Dataset.of(schema, n, new Object[] {c, x});
  }

  @Test
  void outfitsTableBeatsTheUniformDistribution() {
    // log 4032 = 8.302 nats is the uniform model; P_data's entropy is 8.302 − 1.248 = 7.054.
    // A fitted VAE must land between the two: at least H − 3 SE, and clearly below uniform
    // (naive Bayes with infinite data reaches 7.567; we ask for < 7.9).
    Dataset train = Outfits.sample(5000, 1, 0);
    Dataset test = Outfits.sample(2000, 1, 1);
    VaeModel m = VaeModelTest.fit(train, Map.of("hidden", "64,32", "epochs", "10",
        "latent", "2"), 1, new ArrayList<>());
    double[] iw = new double[test.rows()];
    m.importanceWeighted(test, 50, iw, 4);
    double nll = 0;
    for (double v : iw) {
      nll -= v / iw.length;
    }
    assertThat(nll).isGreaterThan(8.302 - 1.248 - 0.1).isLessThan(7.9);
    Dataset s = m.sample(100, 1);
    assertThat(s.schema()).isEqualTo(Outfits.schema());
  }
}
