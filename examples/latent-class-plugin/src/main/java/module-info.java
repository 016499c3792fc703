/** The latent-class model (id {@code latent-class}): a pmodel plugin that exports nothing. */
module org.example.latentclass {
  requires pmodel.api;

  provides pmodel.api.spi.ModelProvider with org.example.latentclass.LatentClassProvider;
}
