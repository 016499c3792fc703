package pmodel.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import pmodel.djl.DjlEngine;
import pmodel.djl.NamedTensors;
import pmodel.djl.TensorSpec;

/**
 * The noise network ε_θ(x_t, t) for tables and 2-D data: an MLP whose input is x_t beside an
 * embedding of t. The step index goes through the sinusoidal embedding of the Transformer
 * (sin and cos of t·10000^(−k/(E/2)), k = 0..E/2−1; DDPM's choice: nearby steps get nearby
 * codes, and the network sees every scale of t), then a two-layer SiLU MLP to 2E values; the
 * main MLP is [x_t, embedding] → hidden layers (SiLU) → d outputs. The last layer starts at
 * zero, so the untrained network predicts ε̂ = 0 (the bound then starts at that of
 * x̂_0 = x_t / √ᾱ_t, finite). This is the peer's (ddpm_torch.py) ring8 network.
 *
 * <p>Raw NDArray functions of a parameter list (no DJL Block): the parameters are
 * {@link TensorSpec}s, stored through {@link NamedTensors}; weights are kept (in, out).
 */
final class EpsNet {
  /** The architecture. */
  record Layout(int dim, int embedding, int[] hidden) {
    Layout {
      hidden = hidden.clone();
    }

    @Override
    public int[] hidden() {
      return hidden.clone();
    }

    /** Parameters: embedding MLP (w, b) × 2, then the main MLP's (w, b) per layer. */
    List<TensorSpec> specs() {
      List<TensorSpec> out = new ArrayList<>();
      int e2 = 2 * embedding;
      dense(out, "time1", embedding, e2, false);
      dense(out, "time2", e2, e2, false);
      int prev = dim + e2;
      for (int l = 0; l < hidden.length; l++) {
        dense(out, "layer" + (l + 1), prev, hidden[l], false);
        prev = hidden[l];
      }
      dense(out, "out", prev, dim, true);
      return out;
    }

    private static void dense(List<TensorSpec> out, String name, int in, int width,
        boolean zero) {
      out.add(new TensorSpec(name + ".w", new long[] {in, width},
          zero ? TensorSpec.Init.ZERO : TensorSpec.Init.FAN_IN, in));
      out.add(new TensorSpec(name + ".b", new long[] {width},
          zero ? TensorSpec.Init.ZERO : TensorSpec.Init.FAN_IN, in));
    }

    long parameterCount() {
      return NamedTensors.count(specs());
    }

    String describe() {
      StringBuilder sb = new StringBuilder("MLP ").append(dim).append("+").append(2 * embedding);
      for (int h : hidden) {
        sb.append('-').append(h);
      }
      return sb.append('-').append(dim).append(" (SiLU; sinusoidal time embedding ")
          .append(embedding).append(")").toString();
    }
  }

  private EpsNet() {
  }

  /** Writes the sinusoidal embedding of each row's step index into {@code out} (rows × E). */
  static void timeFeatures(int[] t, int rows, int embedding, float[] out) {
    int half = embedding / 2;
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < half; k++) {
        double a = t[r] * Math.exp(-Math.log(10000.0) * k / half);
        out[r * embedding + k] = (float) Math.sin(a);
        out[r * embedding + half + k] = (float) Math.cos(a);
      }
    }
  }

  private static NDArray silu(NDArray x) {
    return x.mul(x.getNDArrayInternal().sigmoid());
  }

  /** ε̂ for x (rows × d) and time features (rows × E). No Number operands (see DjlEngine). */
  static NDArray forward(Layout layout, NDList p, NDArray x, NDArray time) {
    int k = 0;
    NDArray e = silu(time.matMul(p.get(k++)).add(p.get(k++)));
    e = e.matMul(p.get(k++)).add(p.get(k++));
    NDArray h = NDArrays.concat(new NDList(x, e), 1);
    for (int l = 0; l < layout.hidden.length; l++) {
      h = silu(h.matMul(p.get(k++)).add(p.get(k++)));
    }
    return h.matMul(p.get(k++)).add(p.get(k));
  }

  /** A predictor that runs the network with these parameter values on DJL. */
  static NoisePredictor predictor(Layout layout, float[][] values) {
    return new Djl(layout, values);
  }

  /** ε_θ on DJL: one manager holding the parameters, one scope per call. */
  private static final class Djl implements NoisePredictor {
    private final Layout layout;
    private final NDManager manager;
    private final NDList params;
    private float[] xs = new float[0];
    private float[] ts = new float[0];

    Djl(Layout layout, float[][] values) {
      this.layout = layout;
      DjlEngine.threads(Training.INTRA_OP_THREADS);
      this.manager = DjlEngine.newManager();
      this.params = NamedTensors.arrays(manager, layout.specs(), values);
    }

    @Override
    public int dim() {
      return layout.dim;
    }

    @Override
    public void predict(double[] x, int[] t, int rows, double[] out) {
      int d = layout.dim;
      int e = layout.embedding;
      if (xs.length < rows * d) {
        xs = new float[rows * d];
        ts = new float[rows * e];
      }
      for (int i = 0; i < rows * d; i++) {
        xs[i] = (float) x[i];
      }
      timeFeatures(t, rows, e, ts);
      try (NDScope scope = new NDScope()) {
        NDArray xa = manager.create(java.util.Arrays.copyOf(xs, rows * d), new Shape(rows, d));
        NDArray ta = manager.create(java.util.Arrays.copyOf(ts, rows * e), new Shape(rows, e));
        float[] o = forward(layout, params, xa, ta).toFloatArray();
        for (int i = 0; i < rows * d; i++) {
          out[i] = o[i];
        }
      }
    }

    @Override
    public void close() {
      manager.close();
    }
  }
}
