package pmodel.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import pmodel.api.ExactDensity;
import pmodel.api.error.PmodelException;
import pmodel.data.builtin.Ring8;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;
import pmodel.api.spi.Support;
import pmodel.djl.NamedTensors;
import pmodel.tck.ProviderConformanceTest;
import org.junit.jupiter.api.Test;

/** Refusals, reproducibility, the forced-GC check, divergence and the exact latent space. */
class FlowProviderTest {
  static final FlowProvider PROVIDER = new FlowProvider();
  static final Map<String, String> SMALL = Map.of("blocks", "2", "hidden", "16", "steps", "60",
      "batch", "128");

  static Parameters params(Map<String, String> given) {
    return Parameters.parse("flow", PROVIDER.parameters(), given);
  }

  static FlowModel fit(Dataset data, Map<String, String> given, long seed) {
    return (FlowModel) PROVIDER.fit(data, params(given), FitContext.of(seed, 2));
  }

  @Test
  void refusesDiscreteColumnsAndImagesWithAReason() {
    Support s = PROVIDER.supports(ProviderConformanceTest.smallSchema());
    assertThat(s.supported()).isFalse();
    assertThat(s.reason()).contains("'colour'").contains("categorical").doesNotContain("\n");
    Support i = PROVIDER.supports(Schema.image(28, 28, 256));
    assertThat(i.supported()).isFalse();
    assertThat(i.reason()).contains("images").doesNotContain("\n");
    assertThatThrownBy(() -> PROVIDER.fit(
        pmodel.eval.Evaluation.allCells(ProviderConformanceTest.smallSchema()),
        params(Map.of()), FitContext.of(1, 1)))
        .isInstanceOf(PmodelException.class).hasMessageContaining("cannot model this data")
        .hasMessageContaining("'colour'");
  }

  @Test
  void absurdHyperparametersGetAOneLineReason() {
    for (Map<String, String> bad : new Map[] {Map.of("blocks", "0"), Map.of("lr", "0"),
        Map.of("temperature", "-1"), Map.of("bins", "1"), Map.of("steps", "0"),
        Map.of("hidden", "64,0"), Map.of("coupling", "cubic"), Map.of("tail-bound", "nan")}) {
      assertThatThrownBy(() -> params(bad)).isInstanceOf(PmodelException.class)
          .satisfies(e -> {
            assertThat(e.getMessage()).doesNotContain("\n")
                .contains(bad.keySet().iterator().next());
            assertThat(((PmodelException) e).exitCode()).isEqualTo(PmodelException.BAD_INPUT);
          });
    }
    Support s = PROVIDER.supports(Ring8.schema(), params(Map.of("bins", "10",
        "min-bin-height", "0.1")));
    assertThat(s.supported()).isFalse();
    assertThat(s.reason()).contains("min-bin-height").contains("below 1");
  }

  @Test
  void constantColumnsAndTooFewRowsAreRefused() {
    Schema schema = Schema.of(new ContinuousFeature("x"), new ContinuousFeature("flat"));
    Dataset flat = Dataset.of(schema, 3, new Object[] {new double[] {1, 2, 3},
        new double[] {5, 5, 5}});
    assertThatThrownBy(() -> fit(flat, SMALL, 1)).isInstanceOf(PmodelException.class)
        .hasMessageContaining("'flat'").hasMessageContaining("constant");
    assertThatThrownBy(() -> fit(flat.slice(0, 1), SMALL, 1))
        .isInstanceOf(PmodelException.class).hasMessageContaining("at least 2");
  }

  @Test
  void nonFiniteValuesAreRefusedNamingTheRow() {
    // a Dataset never holds NaN or ±∞: its constructor refuses them naming column and row
    assertThatThrownBy(() -> Dataset.of(Ring8.schema(), 3, new Object[] {
        new double[] {1, 2, 3}, new double[] {0, Double.NaN, 1}}))
        .isInstanceOf(PmodelException.class).hasMessageContaining("'y' row 2 is NaN");
  }

  @Test
  void sameSeedSameFlowOtherSeedOtherFlow() {
    Dataset data = Ring8.sample(1000, 3, 0);
    FlowModel a = fit(data, SMALL, 7);
    FlowModel b = fit(data, SMALL, 7);
    FlowModel c = fit(data, SMALL, 8);
    assertThat(a.values()).isDeepEqualTo(b.values());
    assertThat(a.values()).isNotEqualTo(c.values());
    assertThat(a.curve().loss()).containsExactly(b.curve().loss());
  }

  /**
   * A garbage collection forced between every forward and backward pass changes nothing: every
   * scalar of the differentiated code is a long-lived array (DJL frees the temporary array of a
   * Java-number operand at once; a freed scalar would corrupt the gradients).
   */
  @Test
  void forcedGarbageCollectionBetweenForwardAndBackwardChangesNothing() {
    Dataset data = Ring8.sample(600, 4, 0);
    Map<String, String> s = Map.of("blocks", "2", "hidden", "16", "steps", "25", "batch",
        "64");
    FlowModel plain = fit(data, s, 5);
    Training.betweenForwardAndBackward = System::gc;
    FlowModel collected;
    try {
      collected = fit(data, s, 5);
    } finally {
      Training.betweenForwardAndBackward = null;
    }
    assertThat(collected.values()).isDeepEqualTo(plain.values());
  }

  @Test
  void aDivergingFitStopsWithAClearError() {
    Dataset data = Ring8.sample(600, 4, 0);
    // divergence simulated: a parameter turns NaN after the third step, as an exploding
    // update would make it; the next loss is NaN and the fit must stop (no model, no file)
    int[] steps = {0};
    Training.afterStep = p -> {
      if (++steps[0] == 3) {
        float[] v = new float[p.get(0).toFloatArray().length];
        java.util.Arrays.fill(v, Float.NaN);
        p.get(0).set(v);
      }
    };
    try {
      assertThatThrownBy(() -> fit(data, SMALL, 1)).isInstanceOf(PmodelException.class)
          .hasMessageContaining("diverged in epoch 1").hasMessageContaining("learning rate")
          .satisfies(e -> assertThat(((PmodelException) e).exitCode())
              .isEqualTo(PmodelException.FAILURE));
    } finally {
      Training.afterStep = null;
    }
    assertThat(steps[0]).isEqualTo(3);
  }

  /**
   * encode and decode are exact inverses. Tolerance: inference runs in float64 (about 40
   * operations per layer and 6 layers, relative error ~1e-14 on standardized values of size
   * ≤ 10, scaled back by ring8's std ≈ 1.4), so x comes back to ~1e-13; we allow 1e-9.
   */
  @Test
  void decodeOfEncodeGivesTheRowsBack() {
    Dataset data = Ring8.sample(800, 6, 0);
    FlowModel m = fit(data, SMALL, 2);
    Dataset rows = Ring8.sample(300, 6, 1);
    double[] z = m.encode(rows);
    assertThat(z).hasSize(600);
    Dataset back = m.decode(z, 300);
    for (int i = 0; i < 300; i++) {
      for (int j = 0; j < 2; j++) {
        assertThat(back.value(i, j)).isCloseTo(rows.value(i, j), within(1e-9));
      }
    }
    // and the latent points of the data look standard normal after training: mean ≈ 0
    double mean = 0;
    for (double v : z) {
      mean += v / z.length;
    }
    assertThat(Math.abs(mean)).isLessThan(0.5);
  }

  @Test
  void temperatureScalesTheLatentPointsOfSamples() {
    Dataset data = Ring8.sample(800, 6, 0);
    FlowModel one = fit(data, SMALL, 2);
    Map<String, String> cold = new java.util.HashMap<>(SMALL);
    cold.put("temperature", "0.5");
    FlowModel half = fit(data, cold, 2);
    double[] z1 = one.encode(one.sample(500, 9, 1));
    double[] zh = half.encode(half.sample(500, 9, 1));
    // same seed, same weights (temperature does not touch training): z_half = 0.5 z_one, up to
    // the float64 round trip (~1e-12)
    for (int i = 0; i < z1.length; i++) {
      assertThat(zh[i]).isCloseTo(0.5 * z1[i], within(1e-8));
    }
  }

  @Test
  void freeParametersCountOnlyTheFreeEntriesOfLU() {
    Dataset data = Ring8.sample(300, 6, 0);
    FlowModel m = fit(data, Map.of("blocks", "1", "hidden", "4", "bins", "8", "steps", "2"),
        2);
    long stored = NamedTensors.count(m.flow().tensors());
    // one block on d = 2: ActNorm 4, LU stored 2·4 + 2 of which 4 free, coupling MLP
    // 1→4→(1·23): 4 + 4 + 92 + 23
    assertThat(stored).isEqualTo(4 + 10 + 123);
    assertThat(m.freeParameters().longValue()).isEqualTo(4 + 4 + 123);
    assertThat(java.util.Arrays.stream(((ExactDensity) m).logDensities(data))
        .allMatch(Double::isFinite)).isTrue();
  }
}
