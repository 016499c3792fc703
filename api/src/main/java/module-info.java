/**
 * The pmodel API, all that a model plugin needs: the generative-model interface and its
 * capabilities, families, schemas and data sets, the provider SPI (hyperparameters, state
 * writer and reader, progress, mergeable statistics), and the parallel and sampling helpers.
 * It requires nothing but Commons RNG: no Jackson, no {@code java.desktop}, no resources.
 *
 * <p>Plugins {@code requires pmodel.api} and {@code provides pmodel.api.spi.ModelProvider}; they
 * never depend on each other or on host code (runtime, data, eval, cli).
 */
module pmodel.api {
  requires transitive org.apache.commons.rng.api;
  requires org.apache.commons.rng.core;

  exports pmodel.api;
  exports pmodel.api.error;
  exports pmodel.api.data;
  exports pmodel.api.params;
  exports pmodel.api.spi;
  exports pmodel.api.compute;
  exports pmodel.api.sampling;
}
