package pmodel.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import pmodel.djl.TensorSpec;

/**
 * One invertible transform of a flow, written as functions of its parameter arrays so that the
 * same code trains in float32 and is checked in float64 (nflows' {@code Transform}: forward
 * gives the output and log |det ∂y/∂x| per row, inverse the input and log |det ∂x/∂y|).
 */
interface Layer {
  /** The layer's parameter tensors, in the order {@link Op} reads them. */
  List<TensorSpec> tensors();

  /** The scalar constants its code uses (see {@link Scalars}). */
  double[] scalars();

  /** The layer's code bound to a manager's fixed arrays (masks, permutations) of a data type. */
  Op bind(NDManager manager, Scalars k);

  /** A bound layer; {@code p} holds exactly the layer's own tensors. */
  interface Op {
    /** {y, log |det ∂y/∂x|} for rows x of shape (rows, width); the log-det of shape (rows). */
    NDArray[] forward(NDList p, NDArray x);

    /** {x, log |det ∂x/∂y|} (the negated forward log-det at x). */
    NDArray[] inverse(NDList p, NDArray y);
  }
}
