package pmodel.api;

import pmodel.api.data.Dataset;

/**
 * Capability: the model cannot compute log p(x) exactly but bounds it from below (the ELBO of a
 * VAE) and estimates it more tightly by importance sampling. Both are stochastic: they take a seed.
 */
public interface DensityBound extends GenerativeModel {
  /** Writes a lower bound on log p(row) (natural log) for every row into {@code out}. */
  void lowerBounds(Dataset data, double[] out, long seed);

  /**
   * Writes the importance-weighted estimate of log p(row) with {@code k} samples per row; it is a
   * lower bound in expectation that tightens as k grows, and equals the ELBO's expectation at k=1.
   */
  void importanceWeighted(Dataset data, int k, double[] out, long seed);
}
