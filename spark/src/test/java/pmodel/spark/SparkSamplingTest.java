package pmodel.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pmodel.api.ExactDensity;
import pmodel.api.GenerativeModel;
import pmodel.api.error.PmodelException;
import pmodel.data.builtin.Outfits;
import pmodel.data.builtin.World;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Dataset;
import pmodel.api.data.ProductSpace;
import pmodel.api.sampling.ChiSquare;
import pmodel.eval.Evaluation;

/**
 * Sampling on Spark: the same seed gives the same rows on 1, 2 and 4 partitions, block b is the
 * model's own sample with the seed {@code RandomStreams.mix(seed, b)}, and the rows follow the
 * model's distribution.
 */
class SparkSamplingTest {
  /** Five blocks (the last one partial), so that four partitions each draw some. */
  static final int ROWS = 4 * SparkSampling.BLOCK + 12_345;
  static GenerativeModel histogram;
  static GenerativeModel world;

  static SparkSession spark() {
    return TestSpark.session();
  }

  @BeforeAll
  static void fit() {
    histogram = SparkFitTest.local("histogram", Outfits.sample(20_000, 1, 0), Map.of());
    world = SparkFitTest.local("naive-bayes", World.sample(20_000, 2, 0), Map.of("bins", "30"));
  }

  static List<Row> sample(GenerativeModel m, long rows, long seed, Map<String, String> given,
      int partitions) {
    org.apache.spark.sql.Dataset<Row> t = SparkSampling.sample(spark(), m, rows, seed, given,
        partitions);
    assertThat(t.javaRDD().getNumPartitions()).isEqualTo(
        (int) Math.min(partitions, (rows + SparkSampling.BLOCK - 1) / SparkSampling.BLOCK));
    return t.collectAsList();
  }

  @Test
  void theSameSeedGivesTheSameRowsOnOneTwoAndFourPartitions() {
    for (GenerativeModel m : List.of(histogram, world)) {
      List<Row> one = sample(m, ROWS, 9, Map.of(), 1);
      assertThat(one).hasSize(ROWS);
      assertThat(sample(m, ROWS, 9, Map.of(), 2)).isEqualTo(one);
      assertThat(sample(m, ROWS, 9, Map.of(), 4)).isEqualTo(one);
      assertThat(sample(m, 1000, 10, Map.of(), 1)).isNotEqualTo(one.subList(0, 1000));
    }
  }

  @Test
  void blockBIsTheModelsOwnSampleWithItsStreamOfTheSeed() {
    List<Row> rows = sample(world, ROWS, 21, Map.of(), 3);
    int b = 2;
    int from = b * SparkSampling.BLOCK;
    Dataset block = world.sample(SparkSampling.BLOCK, RandomStreams.mix(21, b), 1);
    List<Row> expected = new ArrayList<>();
    Rows.forEach(block, 0, block.rows(), expected::add);
    assertThat(rows.subList(from, from + SparkSampling.BLOCK)).isEqualTo(expected);
  }

  @Test
  void samplesFollowTheModelsDistribution() {
    // The 4032 cells of outfits: observed cell counts of the Spark sample against the model's
    // exact probabilities, Pearson's chi-square at significance 0.001 (cells with an expected
    // count below 5 pooled). The seed is fixed, so the outcome is too.
    List<Row> rows = sample(histogram, ROWS, 33, Map.of(), 4);
    Dataset cells = Evaluation.allCells(histogram.schema());
    double[] p = ((ExactDensity) histogram).logDensities(cells);
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp(p[i]);
    }
    ProductSpace space = ProductSpace.of(histogram.schema());
    long[] observed = new long[p.length];
    int[] codes = new int[histogram.schema().size()];
    for (Row r : rows) {
      for (int f = 0; f < codes.length; f++) {
        codes[f] = histogram.schema().discrete(f).code(r.getString(f));
      }
      observed[(int) space.index(codes)]++;
    }
    ChiSquare.Result chi = ChiSquare.test(observed, p);
    assertThat(chi.pValue()).as(chi.toString()).isGreaterThan(ChiSquare.SIGNIFICANCE);
  }

  @Test
  void givenValuesHoldInEveryRowAndBadOnesAreRefused() {
    List<Row> rows = sample(histogram, 70_000, 4, Map.of("hair_color", "Red"), 2);
    assertThat(rows).allSatisfy(r -> assertThat(r.<String>getAs("hair_color")).isEqualTo("Red"));
    assertThat(rows.stream().map(r -> r.<String>getAs("clothing_color")).distinct().count())
        .isGreaterThan(1);
    assertThatThrownBy(() -> SparkSampling.sample(spark(), histogram, 10, 0,
        Map.of("hair_color", "Teal"), 1)).isInstanceOf(PmodelException.class)
        .hasMessageContaining("Teal");
    assertThatThrownBy(() -> SparkSampling.sample(spark(), histogram, 0, 0, Map.of(), 1))
        .isInstanceOf(PmodelException.class)
        .hasMessage("-n 0 is out of range; expected at least 1");
  }
}
