package pmodel.vae;

import pmodel.djl.DjlEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.compute.RandomStreams;
import pmodel.api.spi.StateReader;

/**
 * The VAE's networks, fully connected ({@code mlp}) or convolutional ({@code conv}).
 *
 * <ul>
 *   <li>{@code mlp}: encoder input → hidden layers (ReLU) → (mean, log-variance) of q(z|x);
 *       decoder z → the hidden layers reversed (ReLU) → the likelihood's parameters.</li>
 *   <li>{@code conv}, for images whose sides are multiples of 4, with base width c: the encoder
 *       convolves 4×4 with stride 2 to c × H/2 × W/2 and to 2c × H/4 × W/4 (ReLU), then runs the
 *       MLP's hidden layers on the flattened maps; the decoder runs them reversed up to a
 *       linear layer back to 2c × H/4 × W/4 (ReLU), then twice doubles the side by
 *       nearest-neighbour upsampling and a 3×3 convolution (to c channels with ReLU, then to one
 *       output per pixel). Resize-then-convolve replaces transposed convolution, which DJL
 *       0.36's PyTorch engine lacks, and has no checkerboard artifacts (Odena et al. 2016).
 *       Weight sharing across positions is what an MLP lacks on pixels: neighbouring pixels
 *       depend on each other in the same way everywhere in the image.</li>
 * </ul>
 *
 * <p>Both end with the likelihood's learned log-scale vector when it has one. The weights live
 * in Java float arrays between uses, so a fitted model holds no native memory; each computation
 * copies them into a scoped NDManager. Neither network normalizes over the batch, so every row's
 * output depends on that row alone.
 */
final class Network {
  /**
   * The architecture: widths of the layers and of the log-scale vector; {@code channels} is the
   * convolutional base width c (0 for the MLP), {@code height} × {@code width} the image's
   * shape for the convolutional network (0 × 0 for the MLP).
   */
  record Layout(int input, int[] hidden, int latent, int output, int scale, int channels,
      int height, int width) {
    /** An MLP layout. */
    Layout(int input, int[] hidden, int latent, int output, int scale) {
      this(input, hidden, latent, output, scale, 0, 0, 0);
    }

    boolean convolutional() {
      return channels > 0;
    }

    /** The width of the flattened feature maps between convolutions and dense layers. */
    long flat() {
      return 2L * channels * (height / 4) * (width / 4);
    }

    /**
     * Parameter shapes in order: the encoder's convolutions (w, b)* when convolutional, its
     * dense layers (w, b)*, the decoder's dense layers (w, b)*, its convolutions (w, b)* when
     * convolutional, then the scale vector.
     */
    List<long[]> shapes() {
      List<long[]> out = new ArrayList<>();
      long c = channels;
      long prev = input;
      if (convolutional()) {
        out.add(new long[] {c, 1, 4, 4});
        out.add(new long[] {c});
        out.add(new long[] {2 * c, c, 4, 4});
        out.add(new long[] {2 * c});
        prev = flat();
      }
      for (int h : hidden) {
        out.add(new long[] {h, prev});
        out.add(new long[] {h});
        prev = h;
      }
      out.add(new long[] {2L * latent, prev});
      out.add(new long[] {2L * latent});
      prev = latent;
      for (int i = hidden.length - 1; i >= 0; i--) {
        out.add(new long[] {hidden[i], prev});
        out.add(new long[] {hidden[i]});
        prev = hidden[i];
      }
      long last = convolutional() ? flat() : output;
      out.add(new long[] {last, prev});
      out.add(new long[] {last});
      if (convolutional()) {
        out.add(new long[] {c, 2 * c, 3, 3});
        out.add(new long[] {c});
        out.add(new long[] {1, c, 3, 3});
        out.add(new long[] {1});
      }
      if (scale > 0) {
        out.add(new long[] {scale});
      }
      return out;
    }

    long parameterCount() {
      long n = 0;
      for (long[] s : shapes()) {
        n += size(s);
      }
      return n;
    }

    /**
     * The most values one row holds in any single activation of the encoder or the decoder:
     * for the convolutional network the last upsampling's input, c × H × W values, which is
     * far more than its parameters suggest.
     */
    long activationsPerRow() {
      long m = Math.max(Math.max(input, output), 2L * latent);
      for (int h : hidden) {
        m = Math.max(m, h);
      }
      if (convolutional()) {
        long pixels = (long) height * width;
        m = Math.max(m, Math.max(channels * pixels, 2L * channels * pixels / 4));
      }
      return m;
    }

    /**
     * Rows per batch of an inference pass: at most {@code cap}, and few enough that the largest
     * activation of the batch stays within {@link #activationBudget} values. The MLPs of this
     * module always get {@code cap}; a wide convolutional network gets fewer rows instead of
     * gigabytes of native memory.
     */
    int rowsPerBatch(int cap) {
      return (int) Math.max(1, Math.min(cap, activationBudget / activationsPerRow()));
    }

    /** The encoder's (weight, bias) pairs. */
    int encoderLayers() {
      return hidden.length + 1 + (convolutional() ? 2 : 0);
    }

    /** A one-line description, e.g. "MLP 784-512-256-2 / 2-256-512-784". */
    String describe() {
      StringBuilder a = new StringBuilder();
      if (convolutional()) {
        a.append("conv ").append(height).append('x').append(width).append(" -> ")
            .append(channels).append('x').append(height / 2).append('x').append(width / 2)
            .append(" -> ").append(2 * channels).append('x').append(height / 4).append('x')
            .append(width / 4).append(" -> ").append(flat());
      } else {
        a.append("MLP ").append(input);
      }
      for (int h : hidden) {
        a.append('-').append(h);
      }
      a.append('-').append(latent).append(" / ").append(latent);
      for (int i = hidden.length - 1; i >= 0; i--) {
        a.append('-').append(hidden[i]);
      }
      if (convolutional()) {
        a.append('-').append(flat()).append(" -> ").append(channels).append('x')
            .append(height / 2).append('x').append(width / 2).append(" -> ").append(height)
            .append('x').append(width);
      } else {
        a.append('-').append(output);
      }
      return a.toString();
    }
  }

  /**
   * Values of the largest activation of one inference batch (2^24: 64 MB of floats). The
   * convolution's own workspace and the other activations of the batch come on top, a few times
   * that. Tests lower it to make batches small.
   */
  static volatile long activationBudget = 1L << 24;

  /** The most values one row of a convolutional network may hold in one activation. */
  static final long MAX_ACTIVATIONS_PER_ROW = 1L << 22;

  private static long size(long[] shape) {
    long p = 1;
    for (long d : shape) {
      p *= d;
    }
    return p;
  }

  /** The version of DJL's NDArray encoding that DJL 0.36 writes and this reader checks. */
  static final int DJL_ENCODING = 3;

  final Layout layout;
  /** Parameter values in {@link Layout#shapes()} order. */
  final float[][] values;

  Network(Layout layout, float[][] values) {
    this.layout = layout;
    this.values = values;
  }

  /**
   * PyTorch's default initialization of {@code nn.Linear} and {@code nn.Conv2d}: weights and
   * biases uniform on ±1/√fan_in (fan_in = inputs × kernel area); the log-scale vector starts
   * at 0. Drawn from the seed's own stream.
   */
  static Network initial(Layout layout, long seed) {
    List<long[]> shapes = layout.shapes();
    float[][] v = new float[shapes.size()][];
    for (int i = 0; i < v.length; i++) {
      long[] s = shapes.get(i);
      int n = Math.toIntExact(size(s));
      v[i] = new float[n];
      boolean scale = layout.scale() > 0 && i == v.length - 1;
      if (!scale) {
        long[] w = s.length > 1 ? s : shapes.get(i - 1);
        long fanIn = size(w) / w[0];
        double bound = 1 / Math.sqrt(fanIn);
        UniformRandomProvider rng = RandomStreams.create(seed, 0x1a17L, i);
        for (int j = 0; j < n; j++) {
          v[i][j] = (float) ((2 * rng.nextDouble() - 1) * bound);
        }
      }
    }
    return new Network(layout, v);
  }

  /** The parameters as NDArrays of {@code m}. */
  NDList arrays(NDManager m) {
    List<long[]> shapes = layout.shapes();
    NDList out = new NDList(values.length);
    for (int i = 0; i < values.length; i++) {
      out.add(m.create(values[i], new Shape(shapes.get(i))));
    }
    return out;
  }

  /** A network with the current values of {@code arrays}. */
  static Network of(Layout layout, NDList arrays) {
    float[][] v = new float[arrays.size()][];
    for (int i = 0; i < v.length; i++) {
      v[i] = arrays.get(i).toFloatArray();
    }
    return new Network(layout, v);
  }

  /** The log-scale vector (empty when the likelihood has none). */
  float[] logScale() {
    return layout.scale() > 0 ? values[values.length - 1] : new float[0];
  }

  private static final Shape S1 = new Shape(1, 1);
  private static final Shape S2 = new Shape(2, 2);
  private static final Shape P1 = new Shape(1, 1);
  private static final Shape D1 = new Shape(1, 1);

  private static NDArray linear(NDArray x, NDArray w, NDArray b) {
    return x.getNDArrayInternal().linear(x, w, b).singletonOrThrow();
  }

  private static NDArray relu(NDArray x) {
    return x.getNDArrayInternal().relu();
  }

  /** Convolution 4×4, stride 2, padding 1: halves the side. */
  private static NDArray down(NDArray x, NDArray w, NDArray b) {
    return x.getNDArrayInternal().convolution(x, w, b, S2, P1, D1, 1).singletonOrThrow();
  }

  /** Nearest-neighbour upsampling by 2, then convolution 3×3, padding 1: doubles the side. */
  private static NDArray up(NDArray x, NDArray w, NDArray b) {
    NDArray u = x.repeat(2, 2).repeat(3, 2);
    return u.getNDArrayInternal().convolution(u, w, b, S1, P1, D1, 1).singletonOrThrow();
  }

  /** Encoder: (mean, log-variance), each rows × latent. */
  static NDList encode(Layout layout, NDList p, NDArray x) {
    NDArray h = x;
    int i = 0;
    if (layout.convolutional()) {
      long rows = x.getShape().get(0);
      h = x.reshape(rows, 1, layout.height(), layout.width());
      h = relu(down(h, p.get(0), p.get(1)));
      h = relu(down(h, p.get(2), p.get(3))).reshape(rows, layout.flat());
      i = 4;
    }
    for (int l = 0; l < layout.hidden().length; l++, i += 2) {
      h = relu(linear(h, p.get(i), p.get(i + 1)));
    }
    NDArray out = linear(h, p.get(i), p.get(i + 1));
    return out.split(2, 1);
  }

  /** Decoder: the likelihood's parameters for each latent row. */
  static NDArray decode(Layout layout, NDList p, NDArray z) {
    NDArray h = z;
    int i = 2 * layout.encoderLayers();
    for (int l = 0; l < layout.hidden().length; l++, i += 2) {
      h = relu(linear(h, p.get(i), p.get(i + 1)));
    }
    NDArray out = linear(h, p.get(i), p.get(i + 1));
    if (!layout.convolutional()) {
      return out;
    }
    long rows = z.getShape().get(0);
    int hq = layout.height() / 4;
    int wq = layout.width() / 4;
    h = relu(out).reshape(rows, 2L * layout.channels(), hq, wq);
    h = relu(up(h, p.get(i + 2), p.get(i + 3)));
    return up(h, p.get(i + 4), p.get(i + 5)).reshape(rows, (long) layout.output());
  }

  /** The learned log-scale vector among {@code p}, or null. */
  static NDArray logScale(Layout layout, NDList p) {
    return layout.scale() > 0 ? p.get(p.size() - 1) : null;
  }

  /** The parameters in DJL's NDList encoding (the format of its parameter files). */
  byte[] encodeDjl() {
    try (NDManager m = DjlEngine.newManager()) {
      return arrays(m).encode();
    }
  }

  /**
   * Reads parameters written by {@link #encodeDjl()}. The bytes are checked against the
   * layout (count, type, every shape and data length, nothing left over) before DJL parses
   * them, so a truncated or foreign blob is a clean error, never a native crash.
   */
  static Network decodeDjl(Layout layout, byte[] bytes, StateReader in, String name) {
    List<long[]> shapes = layout.shapes();
    int at = 0;
    try {
      DataInputStream d = new DataInputStream(new ByteArrayInputStream(bytes));
      int count = d.readInt();
      if (count != shapes.size()) {
        throw in.corrupt("blob '" + name + "' holds " + count + " arrays; the architecture"
            + " needs " + shapes.size());
      }
      for (int i = 0; i < count; i++) {
        at = i + 1;
        String where = "blob '" + name + "' array " + (i + 1);
        if (!"NDAR".equals(d.readUTF()) || d.readInt() != DJL_ENCODING) {
          throw in.corrupt(where + " is not in DJL's NDArray encoding version " + DJL_ENCODING);
        }
        int named = d.readByte();
        if (named == 1) {
          d.readUTF();
        } else if (named != 0) {
          throw in.corrupt(where + " has a malformed name flag");
        }
        if (!"DENSE".equals(d.readUTF())) {
          throw in.corrupt(where + " is not a dense array");
        }
        String type = d.readUTF();
        if (!DataType.FLOAT32.name().equals(type)) {
          throw in.corrupt(where + " has type " + type + "; expected FLOAT32");
        }
        int dims = d.readInt();
        long[] expected = shapes.get(i);
        if (dims != expected.length) {
          throw in.corrupt(where + " has " + dims + " dimensions; expected " + expected.length);
        }
        long size = 1;
        for (int k = 0; k < dims; k++) {
          long v = d.readLong();
          if (v != expected[k]) {
            throw in.corrupt(where + " has shape " + v + " in dimension " + (k + 1)
                + "; the architecture needs " + expected[k]);
          }
          size *= v;
        }
        int layoutChars = d.readInt();
        if (layoutChars < 0 || layoutChars > 16) {
          throw in.corrupt(where + " has a malformed shape layout");
        }
        d.skipNBytes(2L * layoutChars);
        int byteOrder = d.readByte();
        if (byteOrder != '<' && byteOrder != '>') {
          throw in.corrupt(where + " has a malformed byte order");
        }
        int length = d.readInt();
        if (length != 4 * size) {
          throw in.corrupt(where + " holds " + length + " bytes; expected " + 4 * size);
        }
        d.skipNBytes(length);
      }
      if (d.read() != -1) {
        throw in.corrupt("blob '" + name + "' has bytes after the last array");
      }
    } catch (IOException e) {
      throw in.corrupt("blob '" + name + "' is truncated (it ends "
          + (at == 0 ? "before the array count" : "inside array " + at) + " of "
          + shapes.size() + "); expected DJL's encoding of the architecture's arrays");
    }
    try (NDManager m = DjlEngine.newManager()) {
      NDList arrays = NDList.decode(m, bytes);
      // a corrupt or edited file must not load weights that make every score NaN
      for (int i = 0; i < arrays.size(); i++) {
        float[] v = arrays.get(i).toFloatArray();
        for (int j = 0; j < v.length; j++) {
          if (!Float.isFinite(v[j])) {
            throw in.corrupt("blob '" + name + "' array " + (i + 1) + " value " + (j + 1)
                + " is " + v[j] + "; expected a finite number");
          }
        }
      }
      return of(layout, arrays);
    }
  }
}
