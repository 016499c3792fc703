package pmodel.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import pmodel.api.GenerativeModel;
import pmodel.data.builtin.Outfits;
import pmodel.data.builtin.World;
import pmodel.api.data.Dataset;
import pmodel.api.spi.ModelProvider;

/**
 * The Bayesian network's Spark fit equals its single-machine fit on the same rows: the pair
 * counts of every partition merge into the counts of all rows, so the Chow-Liu tree, its family
 * counts and the bin bounds (everything the provider writes) are the same.
 */
class SparkBayesNetFitTest {
  static final String ID = "bayesnet";

  @Test
  void categoricalDataWithItsSchemaGivesTheSingleMachineModel() {
    Dataset data = Outfits.sample(30_000, 11, 0);
    org.apache.spark.sql.Dataset<Row> table = SchemaMapping.toSpark(SparkFitTest.spark(), data, 7);
    SparkFit.Result r = SparkFit.fit(table, ID, Map.of("alpha", "0.5"),
        SchemaMapping.of(Outfits.schema()), 3);
    assertThat(r.partitions()).isEqualTo(7);
    assertThat(r.scan().rows()).isEqualTo(30_000);
    GenerativeModel local = SparkFitTest.local(ID, data, Map.of("alpha", "0.5"));
    SparkFitTest.assertSameModel(ID, r.model(), local);
    // the structure is learned, not trivial: the model has 4 edges, so 'parents' has one root
    assertThat(ModelState.of(SparkFitTest.REGISTRY.get(ID), local).get("parents"))
        .containsOnlyOnce("-1");
  }

  @Test
  void continuousFeaturesAreBinnedOverTheRangeOfAllPartitions() {
    Dataset data = World.sample(20_000, 5, 0);
    Map<String, String> settings = Map.of("bins", "24");
    SparkFit.Result r = SparkFit.fit(SchemaMapping.toSpark(SparkFitTest.spark(), data, 5), ID,
        settings, SchemaMapping.inferred(), 0);
    SparkFitTest.assertSameModel(ID, r.model(), SparkFitTest.local(ID, data, settings));
  }

  @Test
  void theNumberOfPartitionsDoesNotChangeTheModel() {
    Dataset data = Outfits.sample(10_000, 13, 0);
    ModelProvider p = SparkFitTest.REGISTRY.get(ID);
    Map<String, String> first = null;
    for (int partitions : List.of(1, 2, 9)) {
      SparkFit.Result r = SparkFit.fit(SchemaMapping.toSpark(SparkFitTest.spark(), data,
          partitions), ID, Map.of(), SchemaMapping.of(Outfits.schema()), 0);
      assertThat(r.partitions()).isEqualTo(partitions);
      Map<String, String> state = ModelState.of(p, r.model());
      if (first == null) {
        first = state;
      }
      assertThat(state).isEqualTo(first);
    }
  }
}
