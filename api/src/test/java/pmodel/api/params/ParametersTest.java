package pmodel.api.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pmodel.api.error.PmodelException;

class ParametersTest {
  static final List<ParameterSpec> SPECS = List.of(
      ParameterSpec.real("alpha", 1.0, 0, true, Double.MAX_VALUE, "smoothing"),
      ParameterSpec.real("lr", 1e-3, 0, false, 1, "learning rate"),
      ParameterSpec.integer("bins", 10, 1, 4096, "bins"),
      ParameterSpec.bool("binarize", false, "threshold at 128"),
      ParameterSpec.choice("arch", "mlp", List.of("mlp", "conv"), "architecture"),
      ParameterSpec.integers("hidden", "512,256", 1, 65536, "hidden sizes"));

  @Test
  void defaultsAndGivenValues() {
    Parameters p = Parameters.parse("m", SPECS, Map.of("alpha", "0.5", "hidden", "64, 32",
        "binarize", "TRUE"));
    assertThat(p.real("alpha")).isEqualTo(0.5);
    assertThat(p.real("lr")).isEqualTo(1e-3);
    assertThat(p.integer("bins")).isEqualTo(10);
    assertThat(p.bool("binarize")).isTrue();
    assertThat(p.choice("arch")).isEqualTo("mlp");
    assertThat(p.integers("hidden")).containsExactly(64, 32);
    assertThat(p.asStrings()).containsEntry("hidden", "64,32").containsEntry("alpha", "0.5");
    assertThat(Parameters.parse("m", SPECS, p.asStrings())).isEqualTo(p);
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    assertThatThrownBy(() -> Parameters.parse("histogram", SPECS, Map.of("alfa", "1")))
        .isInstanceOf(PmodelException.class)
        .hasMessage("unknown parameter 'alfa' for model 'histogram'; known: alpha, lr, bins,"
            + " binarize, arch, hidden");
  }

  @Test
  void outOfRangeValuesSayWhatIsAllowed() {
    assertThatThrownBy(() -> Parameters.parse("histogram", SPECS, Map.of("alpha", "-1")))
        .hasMessage("parameter alpha=-1 for model 'histogram' is out of range; expected a"
            + " number >= 0");
    assertThatThrownBy(() -> Parameters.parse("vae", SPECS, Map.of("lr", "0")))
        .hasMessageContaining("expected a number > 0");
    assertThatThrownBy(() -> Parameters.parse("m", SPECS, Map.of("bins", "0")))
        .hasMessageContaining("expected an integer in 1..4096");
    assertThatThrownBy(() -> Parameters.parse("m", SPECS, Map.of("bins", "1.5")))
        .hasMessageContaining("is not an integer");
    assertThatThrownBy(() -> Parameters.parse("m", SPECS, Map.of("alpha", "NaN")))
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> Parameters.parse("m", SPECS, Map.of("binarize", "yes")))
        .hasMessageContaining("expected true or false");
    assertThatThrownBy(() -> Parameters.parse("m", SPECS, Map.of("arch", "rnn")))
        .hasMessageContaining("expected one of mlp, conv");
    assertThatThrownBy(() -> Parameters.parse("m", SPECS, Map.of("hidden", "64,0")))
        .hasMessageContaining("each in 1..65536");
    assertThat(catchExit(() -> Parameters.parse("m", SPECS, Map.of("alpha", "x")))).isEqualTo(2);
  }

  private static int catchExit(Runnable r) {
    try {
      r.run();
      return 0;
    } catch (PmodelException e) {
      return e.exitCode();
    }
  }
}
