package pmodel.api;

import pmodel.api.compute.Parallel;
import pmodel.api.data.Condition;
import pmodel.api.data.Dataset;

/**
 * Capability: sampling from P_model(x_free | x_given) for fixed values of some features. Every
 * sampled row holds the given values; the result depends only on n, the condition and the seed.
 */
public interface ConditionalSampler extends GenerativeModel {
  Dataset sample(int n, Condition given, long seed, int threads);

  /** {@link #sample(int, Condition, long, int)} on every core. */
  default Dataset sample(int n, Condition given, long seed) {
    return sample(n, given, seed, Parallel.defaultThreads());
  }
}
