/** The naive Bayes model (id {@code naive-bayes}): a plugin that exports nothing. */
module pmodel.naivebayes {
  requires pmodel.api;

  provides pmodel.api.spi.ModelProvider with pmodel.naivebayes.NaiveBayesProvider;
}
