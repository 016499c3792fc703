/** The histogram model (id {@code histogram}): a plugin that exports nothing. */
module pmodel.histogram {
  requires pmodel.api;

  provides pmodel.api.spi.ModelProvider with pmodel.histogram.HistogramProvider;
}
