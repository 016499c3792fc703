package pmodel.naivebayes;

import java.util.List;
import pmodel.data.builtin.Outfits;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Schema;
import pmodel.api.spi.ModelProvider;
import pmodel.tck.ProviderConformanceTest;

/** Naive Bayes passes the conformance test kit. */
class NaiveBayesConformanceTest extends ProviderConformanceTest {
  @Override
  protected ModelProvider provider() {
    return new NaiveBayesProvider();
  }

  @Override
  protected List<Schema> schemas() {
    return List.of(smallSchema(), Outfits.schema(), Schema.image(6, 6, 256),
        Schema.of(new ContinuousFeature("x"), DiscreteFeature.integer("k", 3)));
  }
}
