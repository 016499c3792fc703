package pmodel.djl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.compute.RandomStreams;
import pmodel.api.spi.StateReader;
import pmodel.api.spi.StateWriter;

/**
 * A network's parameters as named float arrays: their seeded start, their DJL arrays, and their
 * place in the model file, one named float blob per tensor (written through {@link StateWriter},
 * so the file holds data and never a class). Reading checks that every tensor is present, has
 * its shape's length and holds only finite numbers, so a corrupt or foreign file fails with its
 * name and the tensor, never scores NaN.
 */
public final class NamedTensors {
  private NamedTensors() {
  }

  /** The total number of values, for the free-parameter count. */
  public static long count(List<TensorSpec> tensors) {
    long n = 0;
    for (TensorSpec t : tensors) {
      n += t.size();
    }
    return n;
  }

  /**
   * Initial values, each tensor from its own stream of (seed, stream, index), so that adding a
   * tensor never changes the start of the others. Normal starts draw with
   * {@link Gaussians#fillComplement} (the stream the GAN has always used).
   */
  public static float[][] initial(List<TensorSpec> tensors, long seed, long stream) {
    float[][] v = new float[tensors.size()][];
    for (int i = 0; i < v.length; i++) {
      TensorSpec t = tensors.get(i);
      float[] a = new float[t.size()];
      v[i] = a;
      UniformRandomProvider rng = RandomStreams.create(seed, stream, i);
      switch (t.init()) {
        case FAN_IN -> {
          double bound = 1 / Math.sqrt(Math.max(1, t.fanIn()));
          for (int j = 0; j < a.length; j++) {
            a[j] = (float) ((2 * rng.nextDouble() - 1) * bound);
          }
        }
        case NORMAL, ONE -> {
          Gaussians.fillComplement(rng, a, 0, a.length);
          float base = t.init() == TensorSpec.Init.ONE ? 1f : 0f;
          for (int j = 0; j < a.length; j++) {
            a[j] = base + 0.02f * a[j];
          }
        }
        case ZERO -> {
        }
        default -> throw new IllegalStateException(t.init().name());
      }
    }
    return v;
  }

  /** The values as float32 arrays of {@code manager}, in the tensors' shapes. */
  public static NDList arrays(NDManager manager, List<TensorSpec> tensors, float[][] values) {
    NDList out = new NDList(values.length);
    for (int i = 0; i < values.length; i++) {
      out.add(manager.create(values[i], new Shape(tensors.get(i).shape())));
    }
    return out;
  }

  /** The arrays' values back in Java, in order. */
  public static float[][] values(NDList arrays) {
    float[][] out = new float[arrays.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = arrays.get(i).toFloatArray();
    }
    return out;
  }

  /** Writes each tensor as a float blob under its name. */
  public static void write(StateWriter out, List<TensorSpec> tensors, float[][] values) {
    if (values.length != tensors.size()) {
      throw new IllegalArgumentException(values.length + " arrays for " + tensors.size()
          + " tensors");
    }
    for (int i = 0; i < values.length; i++) {
      if (values[i].length != tensors.get(i).size()) {
        throw new IllegalArgumentException("tensor " + tensors.get(i) + " has "
            + values[i].length + " values");
      }
      out.putFloats(tensors.get(i).name(), values[i]);
    }
  }

  /** Reads every tensor written by {@link #write}, checked (see the class comment). */
  public static float[][] read(StateReader in, List<TensorSpec> tensors) {
    float[][] values = new float[tensors.size()][];
    for (int i = 0; i < values.length; i++) {
      values[i] = readFinite(in, tensors.get(i).name(), tensors.get(i).size());
    }
    return values;
  }

  /** One float blob of {@code length} finite values, or a one-line error naming it. */
  public static float[] readFinite(StateReader in, String name, int length) {
    if (!in.has(name)) {
      throw in.corrupt("the network's parameter '" + name + "' is missing");
    }
    float[] v = in.getFloats(name, length);
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw in.corrupt("parameter '" + name + "' value " + (i + 1) + " is " + v[i]
            + "; expected a finite number");
      }
    }
    return v;
  }
}
