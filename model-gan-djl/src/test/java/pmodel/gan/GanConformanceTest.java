package pmodel.gan;

import java.util.List;
import java.util.Map;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Schema;
import pmodel.api.spi.ModelProvider;
import pmodel.tck.ProviderConformanceTest;

/**
 * The conformance kit on the GAN with fast settings: a small discrete table, a continuous
 * table, and a small image (the DCGAN pair on its 32×32 canvas, chosen by architecture=auto).
 */
class GanConformanceTest extends ProviderConformanceTest {
  @Override
  protected ModelProvider provider() {
    return new GanProvider();
  }

  @Override
  protected List<Schema> schemas() {
    return List.of(smallSchema(),
        Schema.of(new ContinuousFeature("x"), new ContinuousFeature("y"),
            new ContinuousFeature("z")),
        Schema.image(8, 8, 4));
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of("epochs", "2", "latent", "4", "hidden", "16,16", "channels", "4",
        "batch", "64");
  }

  @Override
  protected List<Unsupported> unsupported() {
    return List.of(
        new Unsupported(smallSchema(), Map.of("architecture", "conv")),
        new Unsupported(Schema.image(40, 40, 256), Map.of("architecture", "conv")),
        new Unsupported(Schema.image(28, 28, 256), Map.of("architecture", "mlp",
            "hidden", "8192,8192,8192")));
  }
}
