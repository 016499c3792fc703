package pmodel.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/**
 * Adam (Kingma and Ba 2015) over a list of parameter arrays, through DJL's optimizer, whose
 * update also zeroes each gradient (DJL's gradient collector does not).
 *
 * <p>The first update must run outside any {@code NDScope}: the optimizer creates its moment
 * arrays lazily on that call and a scope would close them.
 */
public final class Adam {
  private final Optimizer optimizer;
  private final String prefix;

  private Adam(Optimizer optimizer, String prefix) {
    this.optimizer = optimizer;
    this.prefix = prefix;
  }

  /** Adam with a fixed learning rate and PyTorch's default β₁ = 0.9, β₂ = 0.999. */
  public static Adam of(double learningRate, String prefix) {
    return of(learningRate, 0.9, 0.999, prefix);
  }

  /** Adam with a fixed learning rate and the given β's; {@code prefix} names its state. */
  public static Adam of(double learningRate, double beta1, double beta2, String prefix) {
    return new Adam(Optimizer.adam()
        .optLearningRateTracker(Tracker.fixed((float) learningRate))
        .optBeta1((float) beta1).optBeta2((float) beta2).build(), prefix);
  }

  /** One step on every array of {@code params} from its own accumulated gradient. */
  public void step(NDList params) {
    for (int i = 0; i < params.size(); i++) {
      NDArray w = params.get(i);
      try (NDArray g = w.getGradient()) {
        optimizer.update(prefix + i, w, g);
      }
    }
  }

  /** One step on every array of {@code params} from the matching array of {@code grads}. */
  public void step(NDList params, NDList grads) {
    for (int i = 0; i < params.size(); i++) {
      optimizer.update(prefix + i, params.get(i), grads.get(i));
    }
  }
}
