/**
 * The pmodel API: data, the generative-model interfaces and their capabilities, the provider SPI,
 * model files, evaluation, and the sampling and parallel helpers that plugins share.
 *
 * <p>Plugins {@code requires pmodel.api} and {@code provides pmodel.api.spi.ModelProvider}; they
 * never depend on each other. Implementation details live in {@code pmodel.api.internal}, which is
 * not exported.
 */
module pmodel.api {
  requires transitive org.apache.commons.rng.api;
  requires org.apache.commons.rng.core;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.csv;
  requires java.desktop;

  exports pmodel.api;
  exports pmodel.api.data;
  exports pmodel.api.io;
  exports pmodel.api.spi;
  exports pmodel.api.eval;
  exports pmodel.api.compute;
  exports pmodel.api.sampling;
  exports pmodel.api.builtin;

  uses pmodel.api.spi.ModelProvider;
}
