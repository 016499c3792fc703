package org.example.latentclass;

import java.util.List;
import java.util.Map;
import pmodel.data.builtin.Outfits;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Schema;
import pmodel.api.spi.ModelProvider;
import pmodel.tck.ProviderConformanceTest;

/** latent-class passes the pmodel conformance test kit. */
class LatentClassConformanceTest extends ProviderConformanceTest {
  @Override
  protected ModelProvider provider() {
    return new LatentClassProvider();
  }

  @Override
  protected List<Schema> schemas() {
    return List.of(smallSchema(), Outfits.schema(), discreteSchema(6, 3),
        Schema.image(4, 4, 256));
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of("restarts", "2", "iterations", "200");
  }

  @Override
  protected List<Unsupported> unsupported() {
    return List.of(Unsupported.of(Schema.of(new ContinuousFeature("x"))),
        new Unsupported(Schema.image(28, 28, 256), Map.of("classes", "256")));
  }
}
