/** The Bayesian network (id {@code bayesnet}): a Chow-Liu tree; a plugin that exports nothing. */
module pmodel.bayesnet {
  requires pmodel.api;

  provides pmodel.api.spi.ModelProvider with pmodel.bayesnet.BayesNetProvider;
}
