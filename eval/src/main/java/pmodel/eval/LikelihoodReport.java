package pmodel.eval;

/**
 * Held-out negative log-likelihood: mean nats per row and bits per dimension (nats per row
 * divided by ln 2 and by the number of features). {@code kind} is "exact" for exact densities
 * and "bound" when the figure is the negative ELBO (an upper bound on the true NLL). A model that
 * gives some row zero probability has infinite NLL.
 *
 * @param rows the number of rows scored
 * @param dimensions the number of features per row
 * @param kind "exact" or "bound"
 * @param nllNatsPerRow the mean of -log p(row)
 * @param bitsPerDim {@code nllNatsPerRow / (dimensions · ln 2)}
 */
public record LikelihoodReport(long rows, int dimensions, String kind, double nllNatsPerRow,
    double bitsPerDim) {

  /** A report from a sum of log-likelihoods. */
  public static LikelihoodReport of(String kind, long rows, int dimensions, double totalLogLik) {
    double nll = -totalLogLik / rows;
    return new LikelihoodReport(rows, dimensions, kind, nll, nll / (dimensions * Math.log(2)));
  }

  /** True when some row has zero probability under the model. */
  public boolean infinite() {
    return Double.isInfinite(nllNatsPerRow);
  }
}
