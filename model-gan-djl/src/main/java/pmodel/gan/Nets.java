package pmodel.gan;

import pmodel.djl.TensorSpec;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.compute.RandomStreams;

/**
 * The generator G and the critic D, for training on DJL and for sampling in Java.
 *
 * <ul>
 *   <li>{@code mlp}: G = z → hidden layers (ReLU) → data vector; D = data vector → the same
 *       hidden widths (LeakyReLU 0.2) → one score.</li>
 *   <li>{@code conv}, DCGAN-style (Radford et al. 2016) on a 32×32 canvas with base width c:
 *       G = z → linear to 4c×4×4 → BN, ReLU → upsample ×2 and conv 3×3 to 2c×8×8 → BN, ReLU →
 *       to c×16×16 → BN, ReLU → to 1×32×32 → tanh; D = conv 4×4/2 to c×16×16 → LeakyReLU →
 *       2c×8×8 →
 *       LeakyReLU → 4c×4×4 → LeakyReLU → linear to one score. D has no batch normalization, so
 *       the gradient penalty of WGAN-GP is per sample as it must be.</li>
 * </ul>
 *
 * <p>Batch normalization uses the batch's statistics in training; the fitted generator uses
 * fixed statistics measured on one large batch after training ({@link Training}), so every
 * sample depends only on its own latent point. Sampling runs the generator in Java on float
 * arrays ({@link #generate(float[], int)}), summing in a fixed order, so samples are the same on
 * any number of threads and need no native library.
 */
final class Nets {
  /** The network families. */
  enum Kind {
    MLP("mlp"), CONV("conv");

    final String id;

    Kind(String id) {
      this.id = id;
    }
  }

  static final float LEAK = 0.2f;
  static final float BN_EPS = 1e-5f;

  final Kind kind;
  final int latent;
  final int[] hidden;
  final int channels;
  final Features features;

  Nets(Kind kind, int latent, int[] hidden, int channels, Features features) {
    this.kind = kind;
    this.latent = latent;
    this.hidden = hidden.clone();
    this.channels = channels;
    this.features = features;
  }

  int width() {
    return features.width;
  }

  // ---------------------------------------------------------------------------------------------
  // Shapes

  /** The generator's tensors, in order. */
  List<TensorSpec> generator() {
    List<TensorSpec> t = new ArrayList<>();
    if (kind == Kind.MLP) {
      int prev = latent;
      for (int i = 0; i < hidden.length; i++) {
        t.add(new TensorSpec("g.fc" + i + ".weight", new long[] {hidden[i], prev}, TensorSpec.Init.FAN_IN, prev));
        t.add(new TensorSpec("g.fc" + i + ".bias", new long[] {hidden[i]}, TensorSpec.Init.FAN_IN, prev));
        prev = hidden[i];
      }
      t.add(new TensorSpec("g.out.weight", new long[] {width(), prev}, TensorSpec.Init.FAN_IN, prev));
      t.add(new TensorSpec("g.out.bias", new long[] {width()}, TensorSpec.Init.FAN_IN, prev));
      return t;
    }
    long c = channels;
    t.add(new TensorSpec("g.fc.weight", new long[] {4 * c * 16, latent}, TensorSpec.Init.NORMAL, latent));
    t.add(new TensorSpec("g.fc.bias", new long[] {4 * c * 16}, TensorSpec.Init.ZERO, latent));
    t.add(new TensorSpec("g.bn0.gamma", new long[] {4 * c}, TensorSpec.Init.ONE, 0));
    t.add(new TensorSpec("g.bn0.beta", new long[] {4 * c}, TensorSpec.Init.ZERO, 0));
    t.add(new TensorSpec("g.conv1.weight", new long[] {2 * c, 4 * c, 3, 3}, TensorSpec.Init.NORMAL, 0));
    t.add(new TensorSpec("g.bn1.gamma", new long[] {2 * c}, TensorSpec.Init.ONE, 0));
    t.add(new TensorSpec("g.bn1.beta", new long[] {2 * c}, TensorSpec.Init.ZERO, 0));
    t.add(new TensorSpec("g.conv2.weight", new long[] {c, 2 * c, 3, 3}, TensorSpec.Init.NORMAL, 0));
    t.add(new TensorSpec("g.bn2.gamma", new long[] {c}, TensorSpec.Init.ONE, 0));
    t.add(new TensorSpec("g.bn2.beta", new long[] {c}, TensorSpec.Init.ZERO, 0));
    t.add(new TensorSpec("g.conv3.weight", new long[] {1, c, 3, 3}, TensorSpec.Init.NORMAL, 0));
    t.add(new TensorSpec("g.conv3.bias", new long[] {1}, TensorSpec.Init.ZERO, 0));
    return t;
  }

  /** The widths of the generator's batch normalizations (none for the MLP). */
  int[] batchNorms() {
    return kind == Kind.MLP ? new int[0] : new int[] {4 * channels, 2 * channels, channels};
  }

  /** The critic's tensors, in order. */
  List<TensorSpec> critic() {
    List<TensorSpec> t = new ArrayList<>();
    if (kind == Kind.MLP) {
      int prev = width();
      for (int i = 0; i < hidden.length; i++) {
        t.add(new TensorSpec("d.fc" + i + ".weight", new long[] {hidden[i], prev}, TensorSpec.Init.FAN_IN, prev));
        t.add(new TensorSpec("d.fc" + i + ".bias", new long[] {hidden[i]}, TensorSpec.Init.FAN_IN, prev));
        prev = hidden[i];
      }
      t.add(new TensorSpec("d.out.weight", new long[] {1, prev}, TensorSpec.Init.FAN_IN, prev));
      t.add(new TensorSpec("d.out.bias", new long[] {1}, TensorSpec.Init.FAN_IN, prev));
      return t;
    }
    long c = channels;
    t.add(new TensorSpec("d.conv1.weight", new long[] {c, 1, 4, 4}, TensorSpec.Init.NORMAL, 0));
    t.add(new TensorSpec("d.conv1.bias", new long[] {c}, TensorSpec.Init.ZERO, 0));
    t.add(new TensorSpec("d.conv2.weight", new long[] {2 * c, c, 4, 4}, TensorSpec.Init.NORMAL, 0));
    t.add(new TensorSpec("d.conv2.bias", new long[] {2 * c}, TensorSpec.Init.ZERO, 0));
    t.add(new TensorSpec("d.conv3.weight", new long[] {4 * c, 2 * c, 4, 4}, TensorSpec.Init.NORMAL, 0));
    t.add(new TensorSpec("d.conv3.bias", new long[] {4 * c}, TensorSpec.Init.ZERO, 0));
    t.add(new TensorSpec("d.out.weight", new long[] {1, 4 * c * 16}, TensorSpec.Init.NORMAL, 0));
    t.add(new TensorSpec("d.out.bias", new long[] {1}, TensorSpec.Init.ZERO, 0));
    return t;
  }

  /** The multiply-adds of the largest layer of either network, per row. */
  long largestLayer() {
    long largest = 0;
    if (kind == Kind.MLP) {
      for (TensorSpec t : generator()) {
        largest = Math.max(largest, t.size());
      }
      for (TensorSpec t : critic()) {
        largest = Math.max(largest, t.size());
      }
      return largest;
    }
    long c = channels;
    long[] layers = {16 * 4 * c * latent, 64 * 2 * c * 4 * c * 9, 256 * c * 2 * c * 9,
        1024 * c * 9, 256 * c * 16, 64 * 2 * c * c * 16, 16 * 4 * c * 2 * c * 16};
    for (long l : layers) {
      largest = Math.max(largest, l);
    }
    return largest;
  }

  // ---------------------------------------------------------------------------------------------
  // DJL: training

  /** Constants of the differentiated computations, created once (no Java numbers: docs/internals.md, "DJL's freed scalars"). */
  static final class Constants {
    final NDArray eps;
    final NDArray mask;
    final NDArray maskMinusOne;
    final NDArray zero;
    final NDArray leak;
    final NDArray leakGap;

    Constants(NDManager m, Features f) {
      eps = m.create(BN_EPS);
      zero = m.create(0f);
      leak = m.create(LEAK);
      leakGap = m.create(1 - LEAK);
      float[] mk = f.mask();
      if (mk == null) {
        mask = null;
        maskMinusOne = null;
      } else {
        float[] mm = new float[mk.length];
        for (int i = 0; i < mk.length; i++) {
          mm[i] = mk[i] - 1;
        }
        mask = m.create(mk, new Shape(1, mk.length));
        maskMinusOne = m.create(mm, new Shape(1, mm.length));
      }
    }
  }

  private static NDArray linear(NDArray x, NDArray w, NDArray b) {
    return x.getNDArrayInternal().linear(x, w, b).singletonOrThrow();
  }

  private static NDArray leaky(NDArray x) {
    return x.getNDArrayInternal().leakyRelu(LEAK);
  }

  private static final Shape S1 = new Shape(1, 1);
  private static final Shape S2 = new Shape(2, 2);
  private static final Shape P1 = new Shape(1, 1);
  private static final Shape D1 = new Shape(1, 1);
  private static final Shape P2 = new Shape(2, 2);

  /** Convolution 4×4, stride 2, padding 1: halves the side. */
  private static NDArray down(NDArray x, NDArray w, NDArray b) {
    return x.getNDArrayInternal().convolution(x, w, b, S2, P1, D1, 1).singletonOrThrow();
  }

  /**
   * Nearest-neighbour upsampling by 2, then convolution 3×3, stride 1, padding 1: doubles the
   * side. (DJL 0.36's PyTorch engine does not implement transposed convolution; resize then
   * convolve is the usual replacement, and has no checkerboard artifacts: Odena et al. 2016.)
   */
  private static NDArray up(NDArray x, NDArray w, NDArray b) {
    NDArray u = x.repeat(2, 2).repeat(3, 2);
    return u.getNDArrayInternal().convolution(u, w, b, S1, P1, D1, 1).singletonOrThrow();
  }

  /**
   * Batch normalization with the batch's statistics over axes (0, 2, 3); when {@code stats} is
   * given, the batch mean and (biased) variance of each channel are appended to it.
   */
  private static NDArray batchNorm(NDArray x, NDArray gamma, NDArray beta, Constants k,
      NDList stats) {
    NDArray mean = channelMean(x);
    NDArray centred = x.sub(mean);
    NDArray var = channelMean(centred.square());
    if (stats != null) {
      stats.add(mean.flatten());
      stats.add(var.flatten());
    }
    long c = gamma.getShape().get(0);
    return centred.div(var.add(k.eps).sqrt()).mul(gamma.reshape(1, c, 1, 1))
        .add(beta.reshape(1, c, 1, 1));
  }

  /** The mean over axes 0, 2 and 3 (DJL's PyTorch engine reduces one axis at a time). */
  private static NDArray channelMean(NDArray x) {
    return x.mean(new int[] {3}, true).mean(new int[] {2}, true).mean(new int[] {0}, true);
  }

  /**
   * G(z) in training mode: rows × {@link #width()} data vectors after the output activation.
   * When {@code stats} is given, the batch statistics of each batch normalization are appended.
   */
  NDArray generate(NDList p, NDArray z, Constants k, NDList stats) {
    NDArray out;
    if (kind == Kind.MLP) {
      NDArray h = z;
      int i = 0;
      for (int l = 0; l < hidden.length; l++, i += 2) {
        h = linear(h, p.get(i), p.get(i + 1)).getNDArrayInternal().relu();
      }
      out = linear(h, p.get(i), p.get(i + 1));
    } else {
      long rows = z.getShape().get(0);
      long c = channels;
      NDArray h = linear(z, p.get(0), p.get(1)).reshape(rows, 4 * c, 4, 4);
      h = batchNorm(h, p.get(2), p.get(3), k, stats).getNDArrayInternal().relu();
      h = up(h, p.get(4), null);
      h = batchNorm(h, p.get(5), p.get(6), k, stats).getNDArrayInternal().relu();
      h = up(h, p.get(7), null);
      h = batchNorm(h, p.get(8), p.get(9), k, stats).getNDArrayInternal().relu();
      out = up(h, p.get(10), p.get(11)).reshape(rows, (long) Features.CANVAS
          * Features.CANVAS);
    }
    return activate(out);
  }

  /** The output activation: tanh for images; identity and a softmax per discrete feature. */
  private NDArray activate(NDArray out) {
    Features f = features;
    if (f.image) {
      return out.tanh();
    }
    boolean anyDiscrete = false;
    for (int l : f.levels) {
      anyDiscrete |= l > 0;
    }
    if (!anyDiscrete) {
      return out;
    }
    NDList pieces = new NDList();
    int d = f.schema.size();
    int f0 = 0;
    while (f0 < d) {
      int from = f.offset[f0];
      if (f.levels[f0] > 0) {
        int to = from + f.levels[f0];
        pieces.add(out.get(new NDIndex(":, " + from + ":" + to)).softmax(1));
        f0++;
      } else {
        int f1 = f0;
        while (f1 < d && f.levels[f1] == 0) {
          f1++;
        }
        int to = f1 < d ? f.offset[f1] : f.width;
        pieces.add(out.get(new NDIndex(":, " + from + ":" + to)));
        f0 = f1;
      }
    }
    return pieces.size() == 1 ? pieces.singletonOrThrow() : NDArrays.concat(pieces, 1);
  }

  /**
   * What the critic sees of generated data vectors: the canvas border reset to −1 (the image
   * region unchanged); the vectors themselves without a canvas.
   */
  NDArray canvas(NDArray generated, Constants k) {
    return k.mask == null ? generated : generated.mul(k.mask).add(k.maskMinusOne);
  }

  /** D(x): one score per row of data vectors. */
  NDArray criticize(NDList p, NDArray x) {
    return criticWithSlope(p, x, null)[0];
  }

  /**
   * D(x), one score per row, and, when {@code k} is given, each row's input gradient ∇ₓD(x)
   * (rows × width), written out by hand: the backward pass of D as ordinary differentiable
   * operations (transposed weight products, LeakyReLU's slope 1 or 0.2 as a constant mask,
   * transposed convolutions as convolutions of the zero-dilated gradient with the flipped
   * kernel). A penalty on it is then differentiated by ordinary first-order autograd.
   *
   * <p>Why not PyTorch's double backward: DJL 0.36 reaches it ({@code JniUtils.backward} with
   * createGraph), and it computes the right gradients, but it stores a gradient that refers to
   * the graph in each parameter, a reference cycle that only resetting the gradient to None
   * breaks, which DJL cannot do; a ring8 fit with R1 grew by 1.8 MB per step (3 GB in 1,600
   * steps). DJL has no {@code autograd.grad}, which would avoid the cycle.
   */
  NDArray[] criticWithSlope(NDList p, NDArray x, Constants k) {
    long rows = x.getShape().get(0);
    if (kind == Kind.MLP) {
      List<NDArray> masks = new ArrayList<>();
      NDArray h = x;
      int i = 0;
      for (int l = 0; l < hidden.length; l++, i += 2) {
        NDArray a = linear(h, p.get(i), p.get(i + 1));
        if (k != null) {
          masks.add(leakSlope(a, k));
        }
        h = leaky(a);
      }
      NDArray score = linear(h, p.get(i), p.get(i + 1)).reshape(rows);
      if (k == null) {
        return new NDArray[] {score};
      }
      NDArray g = p.get(i);
      for (int l = hidden.length - 1; l >= 0; l--) {
        g = g.mul(masks.get(l)).matMul(p.get(2 * l));
      }
      return new NDArray[] {score, g.reshape(rows, width())};
    }
    long c = channels;
    NDArray h = x.reshape(rows, 1, Features.CANVAS, Features.CANVAS);
    NDArray[] masks = new NDArray[3];
    for (int l = 0; l < 3; l++) {
      NDArray a = down(h, p.get(2 * l), p.get(2 * l + 1));
      if (k != null) {
        masks[l] = leakSlope(a, k);
      }
      h = leaky(a);
    }
    NDArray score = linear(h.reshape(rows, 4 * c * 16), p.get(6), p.get(7)).reshape(rows);
    if (k == null) {
      return new NDArray[] {score};
    }
    NDArray g = p.get(6).reshape(1, 4 * c, 4, 4);
    for (int l = 2; l >= 0; l--) {
      g = downTransposed(g.mul(masks[l]), p.get(2 * l), k);
    }
    return new NDArray[] {score, g.reshape(rows, (long) Features.CANVAS * Features.CANVAS)};
  }

  /** LeakyReLU's derivative at {@code a}: 1 where a > 0, else 0.2 (a constant of the graph). */
  private static NDArray leakSlope(NDArray a, Constants k) {
    return a.gt(k.zero).toType(DataType.FLOAT32, false).mul(k.leakGap).add(k.leak);
  }

  /**
   * The transpose of {@link #down} (its gradient with respect to its input): the gradient
   * (rows, cout, s, s) dilated with zeros to (rows, cout, 2s − 1, 2s − 1), convolved with the
   * kernel flipped in space and with in and out channels swapped, padding 2: (rows, cin, 2s,
   * 2s).
   */
  private static NDArray downTransposed(NDArray g, NDArray w, Constants k) {
    NDArray d = dilate(dilate(g, 3), 2);
    NDArray flipped = w.transpose(1, 0, 2, 3).flip(2, 3);
    return d.getNDArrayInternal().convolution(d, flipped, null, S1, P2, D1, 1)
        .singletonOrThrow();
  }

  /** Puts a zero between neighbours along {@code axis} (the last or the one before). */
  private static NDArray dilate(NDArray g, int axis) {
    NDArray e = g.expandDims(axis + 1);
    NDArray both = NDArrays.concat(new NDList(e, e.zerosLike()), axis + 1);
    Shape s = g.getShape();
    long n = s.get(axis);
    long[] dims = s.getShape();
    dims[axis] = 2 * n;
    NDArray joined = both.reshape(new Shape(dims));
    return axis == 3 ? joined.get(new NDIndex(":, :, :, :" + (2 * n - 1)))
        : joined.get(new NDIndex(":, :, :" + (2 * n - 1)));
  }
}
