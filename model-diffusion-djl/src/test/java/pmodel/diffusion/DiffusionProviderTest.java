package pmodel.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import pmodel.api.error.PmodelException;
import pmodel.data.builtin.Ring8;
import pmodel.api.data.Condition;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;
import pmodel.tck.ProviderConformanceTest;

/** The provider's refusals, reproducibility and the sample-time behaviours. */
class DiffusionProviderTest {
  static final DiffusionProvider PROVIDER = new DiffusionProvider();
  static final Map<String, String> SMALL = Map.of("timesteps", "50", "hidden", "32,32",
      "steps", "60", "batch", "128");

  static Parameters params(Map<String, String> base, String... more) {
    Map<String, String> m = new java.util.LinkedHashMap<>(base);
    for (int i = 0; i < more.length; i += 2) {
      m.put(more[i], more[i + 1]);
    }
    return Parameters.parse(PROVIDER.id(), PROVIDER.parameters(), m);
  }

  static DiffusionModel fit(Dataset data, Parameters p, long seed) {
    return (DiffusionModel) PROVIDER.fit(data, p, FitContext.of(seed, 2));
  }

  @Test
  void absurdHyperparametersGetOneLineReasons() {
    for (String[] bad : new String[][] {{"timesteps", "1"}, {"beta-start", "-0.1"},
        {"beta-end", "1.0"}, {"beta-end", "0"}, {"eta", "1.5"}, {"batch", "0"}}) {
      assertThatThrownBy(() -> params(SMALL, bad))
          .as("%s=%s", bad[0], bad[1]).isInstanceOf(PmodelException.class)
          .hasMessageContaining(bad[0]).hasMessageNotContaining("\n");
    }
    var s = PROVIDER.supports(Ring8.schema(), params(SMALL, "beta-start", "0.05",
        "beta-end", "0.01"));
    assertThat(s.supported()).isFalse();
    assertThat(s.reason()).contains("beta-start").doesNotContain("\n");
    assertThatThrownBy(() -> fit(Ring8.sample(100, 1, 0), params(SMALL, "beta-start", "0.05",
        "beta-end", "0.01"), 1)).isInstanceOf(PmodelException.class)
        .hasMessageContaining("beta-start");
  }

  @Test
  void discreteColumnsAreRefusedWithAReason() {
    var s = PROVIDER.supports(ProviderConformanceTest.smallSchema(), params(SMALL));
    assertThat(s.supported()).isFalse();
    assertThat(s.reason()).contains("'colour'").contains("discrete");
  }

  @Test
  void nonFiniteRowsAreRefusedNamingTheRow() {
    Dataset ring = Ring8.sample(10, 1, 0);
    double[] x = ring.doubles(0).clone();
    double[] y = ring.doubles(1).clone();
    y[6] = Double.NaN;
    // the api refuses a non-finite value when the data set is built (the model checks again
    // before standardizing, for data built otherwise)
    assertThatThrownBy(() -> Dataset.of(Ring8.schema(), 10, new Object[] {x, y}))
        .isInstanceOf(PmodelException.class).hasMessageContaining("row 7")
        .hasMessageContaining("'y'");
    double[] z = DiffusionProvider.standardize(Dataset.of(Ring8.schema(), 10,
        new Object[] {x, ring.doubles(1)}), new double[2], new double[] {1, 1});
    assertThat(z).hasSize(20).doesNotContain(Double.NaN);
  }

  @Test
  void sameSeedSameModelAndGcBetweenForwardAndBackwardChangesNothing() {
    Dataset data = Ring8.sample(600, 1, 0);
    DiffusionModel a = fit(data, params(SMALL), 5);
    DiffusionModel b;
    Training.betweenForwardAndBackward = System::gc;
    try {
      b = fit(data, params(SMALL), 5);
    } finally {
      Training.betweenForwardAndBackward = null;
    }
    for (int i = 0; i < a.weights().length; i++) {
      assertThat(b.weights()[i]).as("tensor %d", i).containsExactly(a.weights()[i]);
    }
    DiffusionModel c = fit(data, params(SMALL), 6);
    assertThat(c.weights()[0]).isNotEqualTo(a.weights()[0]);
    assertThat(a.curve().loss()[a.curve().loss().length - 1])
        .as("the noise loss falls below its start (1 per coordinate for ε̂ = 0)")
        .isLessThan(a.curve().loss()[0]);
  }

  @Test
  void inpaintingHoldsTheGivenValueAndDdimAtEtaZeroIsDeterministic() {
    DiffusionModel m = fit(Ring8.sample(600, 1, 0), params(SMALL, "sampler", "ddim",
        "sample-steps", "10"), 2);
    Dataset s = m.sample(50, Condition.parse(m.schema(), Map.of("x", "1.5")), 3, 1);
    for (int r = 0; r < 50; r++) {
      assertThat(s.value(r, 0)).isEqualTo(1.5);
      assertThat(s.value(r, 1)).isFinite();
    }
    Dataset d1 = m.sample(20, 4, new DiffusionModel.Sampler("ddim", 10, 0), null);
    Dataset d2 = m.sample(20, 4, new DiffusionModel.Sampler("ddim", 10, 0), null);
    Dataset d3 = m.sample(20, 4, new DiffusionModel.Sampler("ddim", 10, 1), null);
    assertThat(d1.doubles(0)).containsExactly(d2.doubles(0));
    assertThat(d3.doubles(0)).isNotEqualTo(d1.doubles(0));
    assertThat(Samplers.ddimSteps(50, 10)).startsWith(49).endsWith(0).doesNotHaveDuplicates();
    assertThat(Samplers.ddimSteps(50, 500)).hasSize(50).doesNotHaveDuplicates();
  }

  @Test
  void boundIsInNatsOfTheOriginalUnits() {
    // scaling a column by c shifts every log-density by −log c: the standardization's
    // log-Jacobian is in the bound, so fits on x and on 10·x differ by log 10 per row exactly
    // (the standardized data, hence the network and every draw, are identical up to float
    // rounding of the standardized values: 1e-4 nats)
    Dataset data = Ring8.sample(400, 1, 0);
    double[] x = data.doubles(0).clone();
    for (int i = 0; i < x.length; i++) {
      x[i] *= 10;
    }
    Dataset scaled = Dataset.of(Ring8.schema(), 400, new Object[] {x, data.doubles(1)});
    DiffusionModel a = fit(data, params(SMALL), 1);
    DiffusionModel b = fit(scaled, params(SMALL), 1);
    double[] la = new double[50];
    double[] lb = new double[50];
    a.lowerBounds(data.slice(0, 50), la, 9);
    b.lowerBounds(scaled.slice(0, 50), lb, 9);
    for (int r = 0; r < 50; r++) {
      assertThat(lb[r]).isCloseTo(la[r] - Math.log(10),
          org.assertj.core.data.Offset.offset(1e-4));
    }
  }

  @Test
  void aModelFileRoundTripsItsStandardizationAndProposal() {
    Schema schema = Schema.of(new ContinuousFeature("u"));
    Dataset data = Dataset.of(schema, 3, new Object[] {new double[] {1, 2, 4}});
    DiffusionModel m = fit(data, params(SMALL, "bound-terms", "4"), 1);
    assertThat(m.proposal().probabilities()).hasSize(50);
    assertThat(m.mean()).containsExactly(7.0 / 3);
  }
}
