package pmodel.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import pmodel.djl.DjlEngine;

/** The training loop's pieces that are not visible in a fitted model. */
class TrainingTest {
  /**
   * Clipping scales the gradients that the optimizer will read (not a copy): loss = Σ 3·w² has
   * gradient 6w; with w = (1, 2, 2) the norm is 18, clipped to 1 the gradient is 6w/18.
   * Float32 rounding only (1e-6).
   */
  @Test
  void clippingScalesTheRealGradients() {
    try (NDManager m = DjlEngine.newManager()) {
      NDArray w = m.create(new float[] {1, 2, 2});
      NDArray three = m.create(3f);
      w.setRequiresGradient(true);
      try (GradientCollector gc = DjlEngine.engine().newGradientCollector()) {
        gc.backward(w.mul(w).mul(three).sum());
      }
      Training.clip(new NDList(w), 1.0);
      float[] g = w.getGradient().toFloatArray();
      assertThat(g[0]).isCloseTo(6f / 18, offset(1e-6f));
      assertThat(g[1]).isCloseTo(12f / 18, offset(1e-6f));
      assertThat(g[2]).isCloseTo(12f / 18, offset(1e-6f));
    }
  }

  @Test
  void epochsCoverTheStepBudget() {
    assertThat(Training.epochs(6000, 512, 5000)).isEqualTo(600);
    assertThat(Training.epochs(7, 512, 100)).isEqualTo(7);
    assertThat(Training.epochs(10, 3, 10)).isEqualTo(3);
  }
}
