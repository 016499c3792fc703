package pmodel.histogram;

import java.util.List;
import java.util.Map;
import pmodel.data.builtin.Outfits;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Schema;
import pmodel.api.spi.ModelProvider;
import pmodel.tck.ProviderConformanceTest;

/** The histogram passes the conformance test kit. */
class HistogramConformanceTest extends ProviderConformanceTest {
  @Override
  protected ModelProvider provider() {
    return new HistogramProvider();
  }

  @Override
  protected List<Schema> schemas() {
    return List.of(smallSchema(), Outfits.schema(),
        // sparse storage: 4^12 cells, more than the dense limit
        discreteSchema(12, 4),
        Schema.of(new ContinuousFeature("x"), DiscreteFeature.integer("k", 3)));
  }

  @Override
  protected List<Unsupported> unsupported() {
    return List.of(new Unsupported(Schema.image(28, 28, 256), Map.of("storage", "dense")));
  }
}
