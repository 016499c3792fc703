package pmodel.api;

import pmodel.api.compute.Parallel;
import pmodel.api.data.Dataset;

/**
 * Capability: the model computes log p(x) exactly (natural log; for continuous features a log
 * density). A row the model gives zero probability scores {@code -Infinity}, never NaN.
 */
public interface ExactDensity extends GenerativeModel {
  /**
   * Writes log p(row) for every row of {@code data} into {@code out}. The data must have this
   * model's schema; rows are scored on up to {@code threads} threads with identical results.
   */
  void logDensities(Dataset data, double[] out, int threads);

  /** The log-density of every row, on every core. */
  default double[] logDensities(Dataset data) {
    double[] out = new double[data.rows()];
    logDensities(data, out, Parallel.defaultThreads());
    return out;
  }

  /** The sum of log p over all rows. Models may override with a faster route. */
  default double totalLogDensity(Dataset data, int threads) {
    double[] out = new double[data.rows()];
    logDensities(data, out, threads);
    double sum = 0;
    for (double v : out) {
      sum += v;
    }
    return sum;
  }
}
