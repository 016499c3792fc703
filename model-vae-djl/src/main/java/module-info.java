/**
 * The variational autoencoder (id {@code vae}): a plugin on Deep Java Library with the PyTorch
 * engine. It exports nothing; DJL's native library loads on the first fit or read.
 */
module pmodel.vae {
  requires pmodel.api;
  requires pmodel.djl;
  requires ai.djl.api;
  requires ai.djl.pytorch_engine;
  requires org.slf4j;

  provides pmodel.api.spi.ModelProvider with pmodel.vae.VaeProvider;
}
