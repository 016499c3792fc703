package pmodel.bayesnet;

import java.util.List;
import pmodel.data.builtin.Outfits;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Schema;
import pmodel.api.spi.ModelProvider;
import pmodel.tck.ProviderConformanceTest;

/** The Bayesian network passes the conformance test kit. */
class BayesNetConformanceTest extends ProviderConformanceTest {
  @Override
  protected ModelProvider provider() {
    return new BayesNetProvider();
  }

  @Override
  protected List<Schema> schemas() {
    return List.of(smallSchema(), Outfits.schema(), discreteSchema(6, 3),
        Schema.image(5, 5, 16),
        Schema.of(new ContinuousFeature("x"), DiscreteFeature.integer("k", 3),
            new ContinuousFeature("y")));
  }

  @Override
  protected List<Unsupported> unsupported() {
    // 784 pixels of 256 levels: 306,936 pairs of 65,536 counts each, far above the limit
    return List.of(Unsupported.of(Schema.image(28, 28, 256)));
  }
}
