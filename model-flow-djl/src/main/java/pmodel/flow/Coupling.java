package pmodel.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;
import pmodel.djl.TensorSpec;

/**
 * A coupling layer (Dinh et al. 2017): the features split into a part a that passes unchanged
 * and a part b transformed elementwise by a map whose parameters an MLP computes from a, so the
 * Jacobian is triangular and its log-det is the sum of the elementwise log-derivatives. The map
 * is the affine one of RealNVP, b ⊙ exp(s) + t with s = tanh(·) (a bounded log-scale keeps
 * early steps stable), or the rational-quadratic {@link Spline}.
 *
 * <p>The split: with h = ⌊d/2⌋, an even layer keeps [0, h) and transforms [h, d); an odd one
 * transforms [0, d − h) and keeps [d − h, d), so consecutive couplings transform different
 * features. With one feature nothing is kept: the MLP then reads a constant 0 and the map is
 * an unconditional (learned) spline or affine map.
 *
 * <p>The MLP's output layer starts at zero, so the layer starts as the identity.
 *
 * @param spline the spline, or null for the affine map
 */
record Coupling(String name, int width, boolean odd, int[] hidden, Spline spline)
    implements Layer {
  Coupling {
    hidden = hidden.clone();
  }

  @Override
  public int[] hidden() {
    return hidden.clone();
  }

  int kept() {
    return width / 2;
  }

  int transformed() {
    return width - kept();
  }

  private int perFeature() {
    return spline == null ? 2 : spline.paramsPerFeature();
  }

  @Override
  public List<TensorSpec> tensors() {
    List<TensorSpec> out = new ArrayList<>();
    int in = Math.max(1, kept());
    for (int i = 0; i <= hidden.length; i++) {
      boolean last = i == hidden.length;
      int o = last ? transformed() * perFeature() : hidden[i];
      out.add(new TensorSpec(name + ".w" + i, new long[] {o, in},
          last ? TensorSpec.Init.ZERO : TensorSpec.Init.FAN_IN, in));
      out.add(new TensorSpec(name + ".b" + i, new long[] {o}, TensorSpec.Init.ZERO, in));
      in = o;
    }
    return out;
  }

  @Override
  public double[] scalars() {
    return spline == null ? new double[0] : spline.scalars();
  }

  @Override
  public Op bind(NDManager manager, Scalars k) {
    NDArray binIndex = spline == null ? null : spline.binIndex(manager, k);
    int h = kept();
    int m = transformed();
    return new Op() {
      @Override
      public NDArray[] forward(NDList p, NDArray x) {
        return run(p, x, false);
      }

      @Override
      public NDArray[] inverse(NDList p, NDArray y) {
        return run(p, y, true);
      }

      private NDArray[] run(NDList p, NDArray x, boolean inverse) {
        long rows = x.getShape().get(0);
        NDArray a;
        NDArray b;
        if (h == 0) {
          a = null;
          b = x;
        } else if (!odd) {
          a = x.get(":, 0:" + h);
          b = x.get(":, " + h + ":");
        } else {
          b = x.get(":, 0:" + m);
          a = x.get(":, " + m + ":");
        }
        NDArray c = a == null ? x.getManager().zeros(new Shape(rows, 1), k.type()) : a;
        for (int i = 0; i <= hidden.length; i++) {
          c = c.getNDArrayInternal().linear(c, p.get(2 * i), p.get(2 * i + 1))
              .singletonOrThrow();
          if (i < hidden.length) {
            c = Activation.relu(c);
          }
        }
        NDArray[] r;
        if (spline == null) {
          NDArray s = c.get(":, 0:" + m).tanh();
          NDArray t = c.get(":, " + m + ":");
          NDArray out = inverse ? b.sub(t).mul(s.neg().exp()) : b.mul(s.exp()).add(t);
          NDArray ld = s.sum(new int[] {1});
          r = new NDArray[] {out, inverse ? ld.neg() : ld};
        } else {
          r = spline.apply(b, c.reshape(rows, m, spline.paramsPerFeature()), inverse, k,
              binIndex);
        }
        NDArray y;
        if (a == null) {
          y = r[0];
        } else {
          y = NDArrays.concat(odd ? new NDList(r[0], a) : new NDList(a, r[0]), 1);
        }
        return new NDArray[] {y, r[1]};
      }
    };
  }
}
