package pmodel.eval;

/**
 * How much sampled table rows look like held-out rows (see {@link SampleMetrics}).
 *
 * @param marginalTv the mean TV distance of the features' marginals, in [0, 1]
 * @param marginalTvs the TV distance of each feature's marginal, in column order
 * @param pairTv the mean TV distance of every pair of features' contingency table (NaN with one
 *     feature)
 * @param copyFraction the fraction of samples that equal a training row exactly
 */
public record TableQuality(double marginalTv, double[] marginalTvs, double pairTv,
    double copyFraction) {
  public TableQuality {
    marginalTvs = marginalTvs.clone();
  }

  @Override
  public double[] marginalTvs() {
    return marginalTvs.clone();
  }
}
