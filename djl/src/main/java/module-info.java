/**
 * What every pmodel plugin on Deep Java Library (PyTorch engine, CPU) shares, so that no DJL
 * plugin carries a copy: offline engine loading with one clear error, thread settings, the
 * long-lived scalars that DJL's freed-scalar bug requires, Gaussian noise from the fit's seed,
 * batch staging through direct buffers, the training-loop pieces (shuffling, Adam updates,
 * divergence, per-epoch progress) and parameter blobs checked on load.
 *
 * <p>Plugins {@code requires pmodel.djl} beside {@code pmodel.api}; they never depend on each
 * other. This module depends on the api only, never on host code.
 */
module pmodel.djl {
  requires transitive pmodel.api;
  requires transitive ai.djl.api;
  requires ai.djl.pytorch_engine;
  requires transitive org.slf4j;

  exports pmodel.djl;
}
