/**
 * Diffusion models (id {@code diffusion}): DDPM with DDPM and DDIM samplers, a plugin on Deep
 * Java Library with the PyTorch engine. It exports nothing; DJL's native library loads on the
 * first fit or read.
 */
module pmodel.diffusion {
  requires pmodel.api;
  requires pmodel.djl;
  requires ai.djl.api;
  requires org.slf4j;

  provides pmodel.api.spi.ModelProvider with pmodel.diffusion.DiffusionProvider;
}
