/**
 * What runs plugins: model files (a zip of {@code model.json} and checked binary blobs, read and
 * written through the providers' {@code StateReader}/{@code StateWriter}), the portable bytes of
 * counting statistics, schema files, and plugin discovery through {@code ServiceLoader} in
 * layers of plugin directories. Host code: plugins never need it.
 */
module pmodel.runtime {
  requires transitive pmodel.api;
  requires pmodel.data;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;

  exports pmodel.runtime;

  uses pmodel.api.spi.ModelProvider;
}
