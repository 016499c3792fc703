package pmodel.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import pmodel.api.error.PmodelException;

class EpochsTest {
  @Test
  void shuffleIsASeededPermutationThatDiffersByEpoch() {
    int[] a = Epochs.identity(1000);
    int[] b = Epochs.identity(1000);
    int[] c = Epochs.identity(1000);
    Epochs.shuffle(a, 7, 0);
    Epochs.shuffle(b, 7, 0);
    Epochs.shuffle(c, 7, 1);
    assertThat(a).containsExactly(b);
    assertThat(a).isNotEqualTo(c);
    int[] sorted = a.clone();
    Arrays.sort(sorted);
    assertThat(sorted).containsExactly(Epochs.identity(1000));
  }

  @Test
  void aNonFiniteLossFailsTheFitWithAdvice() {
    Epochs.requireFinite("the flow", 0, 1.5, "unused");
    assertThatThrownBy(() -> Epochs.requireFinite("the flow", 2, Double.NaN, "try lr=1e-4"))
        .isInstanceOf(PmodelException.class)
        .hasMessage("the flow's training diverged in epoch 3 (the loss is NaN); try lr=1e-4");
  }
}
