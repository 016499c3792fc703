package pmodel.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.HashMap;
import java.util.Map;

/**
 * The scalar constants of a flow's differentiated code, created once per manager as long-lived
 * arrays of the computation's data type (float32 to train, float64 to score and to test).
 * DJL frees the temporary array of a Java-number operand ({@code x.mul(0.5f)}) at once while
 * autograd still needs it, so a garbage collection between forward and backward corrupts the
 * gradients (docs/internals.md, "DJL's freed scalars"); every layer therefore names the scalars it needs up front
 * ({@link Layer#scalars()}) and reads them here. Asking for one that was not declared is a
 * programming error, caught at once.
 */
final class Scalars {
  private final Map<Double, NDArray> values = new HashMap<>();
  private final DataType type;

  Scalars(NDManager manager, DataType type, double... wanted) {
    this.type = type;
    for (double v : wanted) {
      values.computeIfAbsent(v, x -> manager.create(x).toType(type, false));
    }
  }

  /** The scalar {@code v}, which some layer declared. */
  NDArray of(double v) {
    NDArray a = values.get(v);
    if (a == null) {
      throw new IllegalStateException("scalar " + v + " was not declared");
    }
    return a;
  }

  DataType type() {
    return type;
  }
}
