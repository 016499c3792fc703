package pmodel.diffusion;

import java.util.List;
import java.util.Map;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Schema;
import pmodel.api.spi.ModelProvider;
import pmodel.tck.ProviderConformanceTest;

/**
 * The diffusion model passes the conformance test kit (tiny networks, T = 20, 40 steps). The
 * kit's probability checks need discrete schemas, which the model refuses, so they are skipped;
 * the bound's own checks are in {@link VariationalBoundTest}.
 */
class DiffusionConformanceTest extends ProviderConformanceTest {
  @Override
  protected ModelProvider provider() {
    return new DiffusionProvider();
  }

  @Override
  protected List<Schema> schemas() {
    return List.of(Schema.of(new ContinuousFeature("x"), new ContinuousFeature("y")),
        Schema.of(new ContinuousFeature("a"), new ContinuousFeature("b"),
            new ContinuousFeature("c")));
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of("timesteps", "20", "hidden", "16", "embedding", "8", "steps", "40",
        "batch", "64");
  }

  @Override
  protected List<Unsupported> unsupported() {
    return List.of(Unsupported.of(smallSchema()),
        new Unsupported(Schema.of(new ContinuousFeature("x")), Map.of("embedding", "7")),
        new Unsupported(Schema.of(new ContinuousFeature("x")), Map.of("beta-start", "0.5",
            "beta-end", "0.1")));
  }
}
