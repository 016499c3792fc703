package pmodel.api;

import java.math.BigInteger;
import java.util.List;
import pmodel.api.compute.Parallel;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;
import pmodel.api.params.Parameters;

/**
 * A fitted P_model: it knows its schema and can sample new rows. What else it can do is told by
 * the capability interfaces it also implements ({@link ExactDensity}, {@link DensityBound},
 * {@link ConditionalSampler}, {@link LatentSpace}); callers test for them by type and never switch
 * on a provider id. Models are immutable after fitting and safe to use from many threads.
 */
public interface GenerativeModel {
  /** The schema of the data the model was fitted on, and of its samples. */
  Schema schema();

  /** The family this model belongs to. */
  Family family();

  /** The id of the provider that fitted (and can read) this model. */
  String providerId();

  /** The validated hyperparameters the model was fitted with. */
  Parameters hyperparameters();

  /**
   * The number of free parameters: the dimension of the model's parameter space. It can be
   * astronomically large (a histogram over 784 pixels of 256 levels has 256^784 − 1), hence a
   * {@link BigInteger}.
   */
  BigInteger freeParameters();

  /**
   * Draws {@code n} independent rows from P_model. The result depends only on {@code n} and
   * {@code seed}, never on {@code threads}: the same seed gives the same rows on any number of
   * threads, on any machine.
   */
  Dataset sample(int n, long seed, int threads);

  /**
   * A few lines that describe what the model has learned, most informative first (the most
   * probable cells or values), for {@code pmodel inspect}; at most {@code limit} lines.
   */
  default List<String> describe(int limit) {
    return List.of();
  }

  /** {@link #sample(int, long, int)} on every core. */
  default Dataset sample(int n, long seed) {
    return sample(n, seed, Parallel.defaultThreads());
  }
}
