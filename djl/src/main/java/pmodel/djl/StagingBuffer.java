package pmodel.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One direct buffer, allocated once per fit, through which a training loop hands a minibatch
 * from a Java {@code float[]} to DJL without a new native allocation per step. DJL wraps the
 * buffer without copying, so an array made from it is valid only until the next
 * {@link #array} call on the same buffer: use it within one step.
 */
public final class StagingBuffer {
  private final ByteBuffer buf;
  private final int capacity;

  /** A buffer for up to {@code floats} values. */
  public StagingBuffer(int floats) {
    this.capacity = floats;
    this.buf = ByteBuffer.allocateDirect(Math.max(1, floats) * 4).order(ByteOrder.nativeOrder());
  }

  /** The first {@code shape.size()} values of {@code values} as a float32 array of that shape. */
  public NDArray array(NDManager manager, float[] values, Shape shape) {
    int count = Math.toIntExact(shape.size());
    if (count > capacity || count > values.length) {
      throw new IllegalArgumentException("shape " + shape + " holds " + count
          + " values; the buffer holds " + capacity + " and the array " + values.length);
    }
    buf.clear();
    buf.asFloatBuffer().put(values, 0, count);
    return manager.create(buf.slice(0, count * 4).order(ByteOrder.nativeOrder()), shape,
        DataType.FLOAT32);
  }
}
