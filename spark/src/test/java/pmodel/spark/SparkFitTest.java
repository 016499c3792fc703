package pmodel.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pmodel.api.GenerativeModel;
import pmodel.runtime.ModelRegistry;
import pmodel.data.builtin.Outfits;
import pmodel.data.builtin.World;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Schema;
import pmodel.data.io.CsvData;
import pmodel.data.io.ReadOptions;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.ModelProvider;
import pmodel.api.params.Parameters;

/**
 * The Spark fit equals the single-machine fit on the same rows, count for count: every value the
 * provider writes about the model (counts, cells, bin bounds, rows) is the same, for categorical,
 * continuous, dense and sparse models, with the schema given or inferred.
 */
class SparkFitTest {
  static final ModelRegistry REGISTRY = ModelRegistry.discover();

  static SparkSession spark() {
    return TestSpark.session();
  }

  /** The single-machine fit (the provider's own, on every core). */
  static GenerativeModel local(String id, Dataset data, Map<String, String> settings) {
    ModelProvider p = REGISTRY.get(id);
    return p.fit(data, Parameters.parse(id, p.parameters(), settings), FitContext.of(3));
  }

  static void assertSameModel(String id, GenerativeModel spark, GenerativeModel local) {
    ModelProvider p = REGISTRY.get(id);
    assertThat(spark.schema()).isEqualTo(local.schema());
    assertThat(spark.hyperparameters()).isEqualTo(local.hyperparameters());
    assertThat(ModelState.of(p, spark)).isEqualTo(ModelState.of(p, local));
  }

  @ParameterizedTest
  @ValueSource(strings = {"histogram", "naive-bayes"})
  void categoricalDataWithItsSchemaGivesTheSingleMachineModel(String id) {
    Dataset data = Outfits.sample(30_000, 11, 0);
    org.apache.spark.sql.Dataset<Row> table = SchemaMapping.toSpark(spark(), data, 7);
    SparkFit.Result r = SparkFit.fit(table, id, Map.of("alpha", "0.5"),
        SchemaMapping.of(Outfits.schema()), 3);
    assertThat(r.partitions()).isEqualTo(7);
    assertThat(r.scan().rows()).isEqualTo(30_000);
    assertSameModel(id, r.model(), local(id, data, Map.of("alpha", "0.5")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"histogram", "naive-bayes"})
  void aCsvFileInfersTheSchemaPmodelFitInfers(String id, @TempDir Path dir) {
    Path csv = dir.resolve("outfits.csv");
    CsvData.write(csv, Outfits.sample(20_000, 12, 0));
    Dataset cliData = CsvData.read(csv, ReadOptions.defaults());
    SparkFit.Result r = SparkFit.fit(Main.read(spark(), csv.toString(), "csv"), id, Map.of(),
        SchemaMapping.inferred(), 0);
    assertSameModel(id, r.model(), local(id, cliData, Map.of()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"histogram", "naive-bayes"})
  void continuousFeaturesAreBinnedOverTheRangeOfAllPartitions(String id) {
    Dataset data = World.sample(20_000, 5, 0);
    Map<String, String> settings = Map.of("bins", "24");
    SparkFit.Result r = SparkFit.fit(SchemaMapping.toSpark(spark(), data, 5), id, settings,
        SchemaMapping.inferred(), 0);
    assertSameModel(id, r.model(), local(id, data, settings));
  }

  @Test
  void aSparseHistogramOfIntegerLevelsGivesTheSingleMachineModel() {
    // 12 features of 4 levels: 4^12 = 16.8 million cells, more than the dense limit of 2^20
    int d = 12;
    int n = 20_000;
    DiscreteFeature[] fs = new DiscreteFeature[d];
    byte[][] cols = new byte[d][n];
    Random rnd = new Random(7);
    for (int f = 0; f < d; f++) {
      fs[f] = DiscreteFeature.integer("x" + f, 4);
      for (int i = 0; i < n; i++) {
        // dependent features, so that cells repeat: x_f copies x_0 half of the time
        cols[f][i] = (byte) (f > 0 && rnd.nextBoolean() ? cols[0][i] : rnd.nextInt(4));
      }
    }
    Dataset data = Dataset.of(Schema.of(fs), n, cols);
    SparkFit.Result r = SparkFit.fit(SchemaMapping.toSpark(spark(), data, 6), "histogram",
        Map.of(), SchemaMapping.inferred().withIntegerLevels(data.schema().names()), 0);
    GenerativeModel local = local("histogram", data, Map.of());
    assertThat(ModelState.of(REGISTRY.get("histogram"), local)).containsEntry("storage",
        "sparse");
    assertSameModel("histogram", r.model(), local);
  }

  @Test
  void theNumberOfPartitionsDoesNotChangeTheModel() {
    Dataset data = Outfits.sample(10_000, 13, 0);
    ModelProvider p = REGISTRY.get("naive-bayes");
    Map<String, String> first = null;
    for (int partitions : List.of(1, 2, 9)) {
      SparkFit.Result r = SparkFit.fit(SchemaMapping.toSpark(spark(), data, partitions),
          "naive-bayes", Map.of(), SchemaMapping.of(Outfits.schema()), 0);
      assertThat(r.partitions()).isEqualTo(partitions);
      Map<String, String> state = ModelState.of(p, r.model());
      if (first == null) {
        first = state;
      }
      assertThat(state).isEqualTo(first);
    }
  }
}
