package pmodel.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import pmodel.djl.TensorSpec;

/**
 * Activation normalization (Glow, Kingma and Dhariwal 2018): y = (x + b) ⊙ exp(s) per feature,
 * log |det| = Σ s for every row. It starts as the identity and is data-initialised on the first
 * training batch ({@link Flow#initialize}): b = −mean and s = −log std of its input there, so
 * every layer starts with unit-scale inputs whatever the layers before it did.
 */
record ActNorm(String name, int width) implements Layer {
  @Override
  public List<TensorSpec> tensors() {
    return List.of(new TensorSpec(name + ".bias", new long[] {width}, TensorSpec.Init.ZERO, 1),
        new TensorSpec(name + ".logscale", new long[] {width}, TensorSpec.Init.ZERO, 1));
  }

  @Override
  public double[] scalars() {
    return new double[0];
  }

  @Override
  public Op bind(NDManager manager, Scalars k) {
    return new Op() {
      @Override
      public NDArray[] forward(NDList p, NDArray x) {
        NDArray s = p.get(1);
        NDArray y = x.add(p.get(0)).mul(s.exp());
        return new NDArray[] {y, rows(x).add(s.sum())};
      }

      @Override
      public NDArray[] inverse(NDList p, NDArray y) {
        NDArray s = p.get(1);
        NDArray x = y.mul(s.neg().exp()).sub(p.get(0));
        return new NDArray[] {x, rows(y).sub(s.sum())};
      }

      private NDArray rows(NDArray x) {
        return x.getManager().zeros(new Shape(x.getShape().get(0)), k.type());
      }
    };
  }
}
