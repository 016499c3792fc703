package pmodel.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import pmodel.api.GenerativeModel;
import pmodel.api.error.PmodelException;
import pmodel.data.builtin.Outfits;
import pmodel.data.builtin.World;
import pmodel.api.data.Dataset;
import pmodel.api.params.Parameters;
import pmodel.api.spi.ProgressListener;
import pmodel.testing.UniformTestProvider;

/** The harness on the uniform test model, whose every figure is known in closed form. */
class HarnessTest {
  final UniformTestProvider uniform = new UniformTestProvider();
  final Parameters params = Parameters.defaults(uniform.parameters());

  @Test
  void theUniformModelOnOutfitsHasItsKnownNllAndKl() {
    Dataset train = Outfits.sample(2000, 1, 0);
    Dataset test = Outfits.sample(1000, 1, 1);
    Harness.Settings s = new Harness.Settings(5, 3000, 2, 0, 20, Outfits.probabilities());
    ModelResult r = Harness.evaluate(uniform, params, train, test, s, ProgressListener.NONE);
    assertThat(r.kind()).isEqualTo("exact");
    // uniform over 4032 cells: every row costs log 4032 nats, log2(4032)/5 bits per feature
    assertThat(r.likelihood().nllNatsPerRow()).isCloseTo(Math.log(4032), within(1e-12));
    assertThat(r.likelihood().bitsPerDim()).isCloseTo(Math.log(4032) / Math.log(2) / 5,
        within(1e-12));
    // KL(P_data || uniform) = log 4032 - H(P_data), documented as 1.248 nats
    double h = 0;
    for (double p : Outfits.probabilities()) {
      h -= p * Math.log(p);
    }
    assertThat(r.klNats()).isCloseTo(Math.log(4032) - h, within(1e-12));
    assertThat(r.table()).isNotNull();
    assertThat(r.images()).isNull();
    assertThat(r.samples().rows()).isEqualTo(3000);
    assertThat(r.table().marginalTvs()).hasSize(5);
    // uniform samples against P_data's skewed marginals: far from 0, far from 1
    assertThat(r.table().marginalTv()).isBetween(0.1, 0.6);
  }

  @Test
  void everyFigureButTheFitTimeIsReproducibleWithTheSeed() {
    Dataset train = Outfits.sample(500, 2, 0);
    Dataset test = Outfits.sample(500, 2, 1);
    Harness.Settings one = new Harness.Settings(9, 800, 1, 0, 20, null);
    Harness.Settings two = new Harness.Settings(9, 800, 2, 0, 20, null);
    ModelResult a = Harness.evaluate(uniform, params, train, test, one, ProgressListener.NONE);
    ModelResult b = Harness.evaluate(uniform, params, train, test, two, ProgressListener.NONE);
    assertThat(a.samples().fingerprint()).isEqualTo(b.samples().fingerprint());
    assertThat(a.table().marginalTv()).isEqualTo(b.table().marginalTv());
    assertThat(a.table().pairTv()).isEqualTo(b.table().pairTv());
    assertThat(a.table().copyFraction()).isEqualTo(b.table().copyFraction());
    assertThat(a.klNats()).isNull();
  }

  /** The uniform model seen through a density bound: log p − 1, and log p − 1/k with k samples. */
  static final class BoundedUniform implements pmodel.api.DensityBound {
    final UniformTestProvider.Model exact;

    BoundedUniform(GenerativeModel exact) {
      this.exact = (UniformTestProvider.Model) exact;
    }

    @Override
    public void lowerBounds(Dataset data, double[] out, long seed) {
      exact.logDensities(data, out, 1);
      for (int i = 0; i < data.rows(); i++) {
        out[i] -= 1;
      }
    }

    @Override
    public void importanceWeighted(Dataset data, int k, double[] out, long seed) {
      exact.logDensities(data, out, 1);
      for (int i = 0; i < data.rows(); i++) {
        out[i] -= 1.0 / k;
      }
    }

    @Override
    public pmodel.api.data.Schema schema() {
      return exact.schema();
    }

    @Override
    public pmodel.api.Family family() {
      return pmodel.api.Family.EXPLICIT_APPROXIMATE;
    }

    @Override
    public String providerId() {
      return "bounded";
    }

    @Override
    public Parameters hyperparameters() {
      return exact.hyperparameters();
    }

    @Override
    public java.math.BigInteger freeParameters() {
      return java.math.BigInteger.ONE;
    }

    @Override
    public Dataset sample(int n, long seed, int threads) {
      return exact.sample(n, seed, threads);
    }
  }

  @Test
  void boundModelsReportTheNegativeElboAndTheImportanceWeightedEstimate() {
    Dataset train = Outfits.sample(100, 3, 0);
    Dataset test = Outfits.sample(400, 3, 1);
    GenerativeModel model = new BoundedUniform(uniform.fit(train, params,
        pmodel.api.spi.FitContext.of(0, 1)));
    ModelResult r = Harness.measure(model, 0.5, train, test,
        new Harness.Settings(1, 100, 1, 50, 20, Outfits.probabilities()));
    assertThat(r.kind()).isEqualTo("bound");
    assertThat(r.likelihood().kind()).isEqualTo("bound");
    assertThat(r.likelihood().nllNatsPerRow()).isCloseTo(Math.log(4032) + 1, within(1e-12));
    assertThat(r.importanceWeighted().nllNatsPerRow()).isCloseTo(Math.log(4032) + 1 / 50.0,
        within(1e-12));
    assertThat(r.importanceSamples()).isEqualTo(50);
    // no exact density, so no exact KL even though P_data is known
    assertThat(r.klNats()).isNull();
    assertThat(r.fitSeconds()).isEqualTo(0.5);
  }

  @Test
  void differentSchemasAndZeroSamplesAreRefusedBeforeFitting() {
    assertThatThrownBy(() -> Harness.check(uniform, params, Outfits.sample(10, 0, 0),
        World.sample(10, 0, 1), "builtin:outfits", "builtin:world"))
        .isInstanceOf(PmodelException.class)
        .hasMessageContaining("--train builtin:outfits and --test builtin:world have different"
            + " schemas (5 features versus 2)");
    assertThatThrownBy(() -> new Harness.Settings(0, 0, 1, 0, 20, null))
        .isInstanceOf(PmodelException.class)
        .hasMessage("--samples 0 is out of range; expected 1..1000000");
  }
}
