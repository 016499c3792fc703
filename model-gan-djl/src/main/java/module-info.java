/**
 * The generative adversarial network (id {@code gan}): a plugin on Deep Java Library with the
 * PyTorch engine. It exports nothing; DJL's native library loads on the first fit, never to
 * load a model or to sample (the generator runs in Java).
 */
module pmodel.gan {
  requires pmodel.api;
  requires pmodel.djl;
  requires ai.djl.api;
  requires ai.djl.pytorch_engine;
  requires org.slf4j;

  provides pmodel.api.spi.ModelProvider with pmodel.gan.GanProvider;
}
