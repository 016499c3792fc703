package pmodel.vae;

import java.util.List;
import java.util.Map;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Schema;
import pmodel.api.spi.ModelProvider;
import pmodel.tck.ProviderConformanceTest;

/** The VAE passes the conformance test kit (tiny networks, a few epochs). */
class VaeConformanceTest extends ProviderConformanceTest {
  @Override
  protected ModelProvider provider() {
    return new VaeProvider();
  }

  @Override
  protected List<Schema> schemas() {
    return List.of(smallSchema(), Schema.image(6, 6, 256),
        Schema.of(new ContinuousFeature("x"), DiscreteFeature.integer("k", 3)));
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of("architecture", "mlp", "hidden", "16", "epochs", "3", "batch", "64");
  }

  @Override
  protected List<Unsupported> unsupported() {
    return List.of(new Unsupported(Schema.image(6, 6, 256), Map.of("likelihood", "bernoulli")),
        new Unsupported(Schema.of(new ContinuousFeature("x")), Map.of("likelihood",
            "logistic")));
  }
}
