package pmodel.flow;

import java.util.List;
import java.util.Map;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Schema;
import pmodel.api.spi.ModelProvider;
import pmodel.tck.ProviderConformanceTest;

/** The flow passes the conformance test kit (small flows, a few dozen steps). */
class FlowConformanceTest extends ProviderConformanceTest {
  @Override
  protected ModelProvider provider() {
    return new FlowProvider();
  }

  @Override
  protected List<Schema> schemas() {
    return List.of(Schema.of(new ContinuousFeature("x"), new ContinuousFeature("y")),
        Schema.of(new ContinuousFeature("a"), new ContinuousFeature("b"),
            new ContinuousFeature("c")),
        Schema.of(new ContinuousFeature("v")));
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of("blocks", "2", "hidden", "8", "steps", "40", "batch", "64");
  }

  @Override
  protected List<Unsupported> unsupported() {
    return List.of(Unsupported.of(smallSchema()), Unsupported.of(Schema.image(4, 4, 256)),
        new Unsupported(Schema.of(new ContinuousFeature("x"), new ContinuousFeature("y")),
            Map.of("bins", "20", "min-bin-width", "0.05")));
  }
}
