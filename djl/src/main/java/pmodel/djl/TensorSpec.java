package pmodel.djl;

import java.util.Arrays;

/**
 * One parameter tensor of a network: its name in the model file, its shape, how it starts and
 * the fan-in that scales a {@link Init#FAN_IN} start.
 */
public record TensorSpec(String name, long[] shape, Init init, long fanIn) {
  /** How a tensor starts. */
  public enum Init {
    /** PyTorch's default for linear and convolutional layers: U(±1/√fan_in). */
    FAN_IN,
    /** N(0, 0.02²) (DCGAN). */
    NORMAL,
    /** N(1, 0.02²) (DCGAN's batch-normalization scale). */
    ONE,
    /** Zeros: biases, and output layers that must start as the identity (flows, ε-nets). */
    ZERO
  }

  public TensorSpec {
    shape = shape.clone();
    long n = 1;
    for (long d : shape) {
      if (d < 1) {
        throw new IllegalArgumentException("tensor " + name + " has shape "
            + Arrays.toString(shape) + "; every dimension must be ≥ 1");
      }
      n = Math.multiplyExact(n, d);
    }
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("tensor " + name + " has " + n + " values; at most "
          + (Integer.MAX_VALUE - 8) + " fit in one array");
    }
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The number of values. */
  public int size() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return (int) n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec t && name.equals(t.name) && Arrays.equals(shape, t.shape)
        && init == t.init && fanIn == t.fanIn;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}
