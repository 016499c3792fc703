package pmodel.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import pmodel.api.compute.RandomStreams;
import pmodel.djl.NamedTensors;
import pmodel.djl.TensorSpec;

/**
 * A normalizing flow on d features: a list of invertible layers f = f_L ∘ … ∘ f_1 from x to
 * z and the base N(0, I), so log p(x) = log N(f(x); 0, I) + Σ_l log |det ∂f_l/∂h_(l−1)|
 * (nflows' {@code CompositeTransform} over a standard-normal base). Each of its blocks is
 * ActNorm, then (for d ≥ 2) an LU-parametrised linear mixing of the features, then a coupling
 * whose kept half alternates from block to block.
 *
 * <p>A flow is structure only (its layers, their tensors, the fixed permutations and signs of
 * the LU layers); the parameter values live in an {@link NDList} in the order of
 * {@link #tensors()}.
 */
final class Flow {
  private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
  /** The stream of the LU layers' random rotations. */
  static final long ROTATION_STREAM = 0x1071L;
  /** The stream of the networks' initial weights. */
  static final long WEIGHT_STREAM = 0x3e1L;

  final int width;
  final List<Layer> layers;
  private final List<TensorSpec> tensors;
  private final int[] offsets;

  Flow(int width, List<Layer> layers) {
    this.width = width;
    this.layers = List.copyOf(layers);
    List<TensorSpec> all = new ArrayList<>();
    offsets = new int[layers.size() + 1];
    for (int i = 0; i < layers.size(); i++) {
      offsets[i] = all.size();
      all.addAll(layers.get(i).tensors());
    }
    offsets[layers.size()] = all.size();
    this.tensors = List.copyOf(all);
  }

  /** The shape of a flow: blocks of (ActNorm, LU mixing, coupling). */
  record Shape(int width, int blocks, int[] hidden, Spline spline) {
  }

  /**
   * A new flow of this shape with its starting values: LU layers start as random rotations
   * from the seed, the couplings' networks as PyTorch's default for hidden layers and zero for
   * their outputs, so the flow starts as a rotation per block (ActNorm then adapts to the data).
   */
  static Start create(Shape s, long seed) {
    List<Layer> layers = new ArrayList<>();
    List<float[][]> lu = new ArrayList<>();
    for (int b = 0; b < s.blocks(); b++) {
      layers.add(new ActNorm("block" + b + ".actnorm", s.width()));
      if (s.width() >= 2) {
        LuLinear.Start st = LuLinear.randomRotation("block" + b + ".mix", s.width(),
            RandomStreams.create(seed, ROTATION_STREAM, b));
        layers.add(st.layer());
        lu.add(st.values());
      }
      layers.add(new Coupling("block" + b + ".coupling", s.width(), b % 2 == 1, s.hidden(),
          s.spline()));
    }
    Flow flow = new Flow(s.width(), layers);
    float[][] values = NamedTensors.initial(flow.tensors, seed, WEIGHT_STREAM);
    int next = 0;
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) instanceof LuLinear) {
        float[][] v = lu.get(next++);
        for (int j = 0; j < 3; j++) {
          values[flow.offsets[i] + j] = v[j];
        }
      }
    }
    return new Start(flow, values);
  }

  /** The flow of this shape with given LU permutations and signs (one per block), as read. */
  static Flow restore(Shape s, int[][] perms, double[][] signs) {
    List<Layer> layers = new ArrayList<>();
    for (int b = 0; b < s.blocks(); b++) {
      layers.add(new ActNorm("block" + b + ".actnorm", s.width()));
      if (s.width() >= 2) {
        layers.add(new LuLinear("block" + b + ".mix", s.width(), perms[b], signs[b]));
      }
      layers.add(new Coupling("block" + b + ".coupling", s.width(), b % 2 == 1, s.hidden(),
          s.spline()));
    }
    return new Flow(s.width(), layers);
  }

  /** A flow with its starting values. */
  record Start(Flow flow, float[][] values) {
  }

  List<TensorSpec> tensors() {
    return tensors;
  }

  /** The LU layers, in block order. */
  List<LuLinear> mixings() {
    List<LuLinear> out = new ArrayList<>();
    for (Layer l : layers) {
      if (l instanceof LuLinear lu) {
        out.add(lu);
      }
    }
    return out;
  }

  /** The parameters of layer i, a view of {@code p}. */
  NDList params(NDList p, int i) {
    return new NDList(p.subList(offsets[i], offsets[i + 1]));
  }

  /** The flow's code bound to a manager and a data type. */
  Bound bind(NDManager manager, DataType type) {
    List<Double> wanted = new ArrayList<>(List.of(0.0, 1.0, 0.5, -0.5, -HALF_LOG_2PI * width));
    for (Layer l : layers) {
      for (double v : l.scalars()) {
        wanted.add(v);
      }
    }
    double[] w = new double[wanted.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = wanted.get(i);
    }
    Scalars k = new Scalars(manager, type, w);
    List<Layer.Op> ops = new ArrayList<>();
    for (Layer l : layers) {
      ops.add(l.bind(manager, k));
    }
    return new Bound(ops, k);
  }

  /** The flow's layers bound to a manager and a data type. */
  final class Bound {
    final List<Layer.Op> ops;
    final Scalars k;

    Bound(List<Layer.Op> ops, Scalars k) {
      this.ops = ops;
      this.k = k;
    }

    /** {z = f(x), Σ log |det| (rows)}. */
    NDArray[] forward(NDList p, NDArray x) {
      NDArray h = x;
      NDArray total = null;
      for (int i = 0; i < ops.size(); i++) {
        NDArray[] r = ops.get(i).forward(params(p, i), h);
        h = r[0];
        total = total == null ? r[1] : total.add(r[1]);
      }
      return new NDArray[] {h, total};
    }

    /** {x = f⁻¹(z), Σ log |det ∂x/∂z| (rows)}. */
    NDArray[] inverse(NDList p, NDArray z) {
      NDArray h = z;
      NDArray total = null;
      for (int i = ops.size() - 1; i >= 0; i--) {
        NDArray[] r = ops.get(i).inverse(params(p, i), h);
        h = r[0];
        total = total == null ? r[1] : total.add(r[1]);
      }
      return new NDArray[] {h, total};
    }

    /** log p(x) per row: log N(f(x); 0, I) + log |det ∂f/∂x|. */
    NDArray logProb(NDList p, NDArray x) {
      NDArray[] r = forward(p, x);
      NDArray base = r[0].square().sum(new int[] {1}).mul(k.of(-0.5))
          .add(k.of(-HALF_LOG_2PI * width));
      return base.add(r[1]);
    }

    /**
     * Data-dependent initialization (Glow): runs the first batch through the flow and sets
     * each ActNorm so that its output has mean 0 and standard deviation 1 per feature there
     * (a feature constant on the batch keeps scale 1). Call outside any gradient recording.
     */
    void initialize(NDList p, NDArray x) {
      NDArray h = x;
      for (int i = 0; i < ops.size(); i++) {
        if (layers.get(i) instanceof ActNorm) {
          double[] v = h.toType(DataType.FLOAT64, false).toDoubleArray();
          int d = width;
          int rows = v.length / d;
          float[] bias = new float[d];
          float[] logScale = new float[d];
          for (int j = 0; j < d; j++) {
            double mean = 0;
            for (int r = 0; r < rows; r++) {
              mean += v[r * d + j];
            }
            mean /= rows;
            double var = 0;
            for (int r = 0; r < rows; r++) {
              double e = v[r * d + j] - mean;
              var += e * e;
            }
            double sd = Math.sqrt(var / rows);
            bias[j] = (float) -mean;
            logScale[j] = sd > 1e-6 ? (float) -Math.log(sd) : 0f;
          }
          p.get(offsets[i]).set(bias);
          p.get(offsets[i] + 1).set(logScale);
        }
        h = ops.get(i).forward(params(p, i), h)[0];
      }
    }
  }
}
