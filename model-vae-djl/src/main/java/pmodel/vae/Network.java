package pmodel.vae;

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
 * The VAE's MLP: encoder input → hidden layers (ReLU) → (mean, log-variance) of q(z|x), and
 * decoder z → the hidden layers reversed (ReLU) → the likelihood's parameters, plus the
 * likelihood's learned log-scale vector. The weights live in Java float arrays between uses, so
 * a fitted model holds no native memory; each computation copies them into a scoped NDManager.
 */
final class Network {
  /** The architecture: widths of the layers and of the log-scale vector. */
  record Layout(int input, int[] hidden, int latent, int output, int scale) {
    /** Parameter shapes in order: encoder (w, b)*, decoder (w, b)*, then the scale vector. */
    List<long[]> shapes() {
      List<long[]> out = new ArrayList<>();
      int prev = input;
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
      out.add(new long[] {output, prev});
      out.add(new long[] {output});
      if (scale > 0) {
        out.add(new long[] {scale});
      }
      return out;
    }

    long parameterCount() {
      long n = 0;
      for (long[] s : shapes()) {
        long p = 1;
        for (long d : s) {
          p *= d;
        }
        n += p;
      }
      return n;
    }

    int encoderLayers() {
      return hidden.length + 1;
    }
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
   * PyTorch's default initialization of {@code nn.Linear}: weights and biases uniform on
   * ±1/√fan_in; the log-scale vector starts at 0. Drawn from the seed's own stream.
   */
  static Network initial(Layout layout, long seed) {
    List<long[]> shapes = layout.shapes();
    float[][] v = new float[shapes.size()][];
    for (int i = 0; i < v.length; i++) {
      long[] s = shapes.get(i);
      int n = (int) (s.length == 2 ? s[0] * s[1] : s[0]);
      v[i] = new float[n];
      boolean scale = layout.scale() > 0 && i == v.length - 1;
      if (!scale) {
        long fanIn = s.length == 2 ? s[1] : shapes.get(i - 1)[1];
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

  /** Encoder: (mean, log-variance), each rows × latent. */
  static NDList encode(Layout layout, NDList p, NDArray x) {
    NDArray h = x;
    int i = 0;
    for (int l = 0; l < layout.hidden().length; l++, i += 2) {
      h = h.getNDArrayInternal().linear(h, p.get(i), p.get(i + 1)).singletonOrThrow()
          .getNDArrayInternal().relu();
    }
    NDArray out = h.getNDArrayInternal().linear(h, p.get(i), p.get(i + 1)).singletonOrThrow();
    return out.split(2, 1);
  }

  /** Decoder: the likelihood's parameters for each latent row. */
  static NDArray decode(Layout layout, NDList p, NDArray z) {
    NDArray h = z;
    int i = 2 * layout.encoderLayers();
    for (int l = 0; l < layout.hidden().length; l++, i += 2) {
      h = h.getNDArrayInternal().linear(h, p.get(i), p.get(i + 1)).singletonOrThrow()
          .getNDArrayInternal().relu();
    }
    return h.getNDArrayInternal().linear(h, p.get(i), p.get(i + 1)).singletonOrThrow();
  }

  /** The learned log-scale vector among {@code p}, or null. */
  static NDArray logScale(Layout layout, NDList p) {
    return layout.scale() > 0 ? p.get(p.size() - 1) : null;
  }

  /** The parameters in DJL's NDList encoding (the format of its parameter files). */
  byte[] encodeDjl() {
    try (NDManager m = Djl.newManager()) {
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
    try (NDManager m = Djl.newManager()) {
      return of(layout, NDList.decode(m, bytes));
    }
  }
}
