package pmodel.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pmodel.api.error.PmodelException;
import pmodel.data.builtin.Outfits;
import pmodel.data.io.CsvData;

/**
 * The spark-submit main class: its commands, their output tables and their one-line errors,
 * run in-process on the tests' Spark session.
 */
class MainTest {
  static Path fitted(Path dir) {
    Path csv = dir.resolve("outfits.csv");
    CsvData.write(csv, Outfits.sample(5_000, 8, 0));
    Commands.Result r = Commands.sparkMain("fit", "naive-bayes", "--data", csv.toString(),
        "--seed", "5", "--out", dir.resolve("nb.pm").toString());
    assertThat(r.exit()).as(r.toString()).isZero();
    return dir.resolve("nb.pm");
  }

  @Test
  void modelsSaysWhichModelsFitOnSpark() {
    Commands.Result r = Commands.sparkMain("models");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("histogram (explicit-tractable)")
        .contains("naive-bayes (explicit-tractable)")
        .containsPattern("histogram .*\\n  on Spark: fit and sample")
        .containsPattern("not-counting-test .*\\n  on Spark: sample only");
  }

  @Test
  void sampleWritesParquetAndCsvTablesOfTheSameRowsAndReplacesThemWhole(@TempDir Path dir)
      throws IOException {
    Path model = fitted(dir);
    List<Row> expected = SparkSampling.sample(TestSpark.session(), model, 70_000, 3, Map.of(),
        2).collectAsList();
    for (String name : List.of("s.parquet", "s.csv")) {
      String out = dir.resolve(name).toString();
      for (int partitions : List.of(2, 3)) { // the second run replaces the first table
        Commands.Result r = Commands.sparkMain("sample", "--model", model.toString(), "-n",
            "70000", "--seed", "3", "--partitions", Integer.toString(partitions), "--out", out);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("wrote 70000 samples to " + out);
      }
      org.apache.spark.sql.Dataset<Row> back = name.endsWith(".csv")
          ? Main.read(TestSpark.session(), out, "csv")
          : TestSpark.session().read().parquet(out);
      List<Row> rows = back.collectAsList();
      assertThat(rows).containsExactlyInAnyOrderElementsOf(expected);
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .noneMatch(f -> f.contains(".tmp-") || f.contains(".old-"));
      }
    }
  }

  /**
   * What the packaged jar cannot show (its models are all counting ones; docs/errors-spark.md
   * and ErrorCatalogueIT cover the rest through the launcher): a model that exists but cannot be
   * fitted on Spark, and --threads on sample.
   */
  @Test
  void badInputGetsOneLineAndExitCodeTwo(@TempDir Path dir) {
    Path model = fitted(dir);
    String missing = dir.resolve("none.parquet").toString();
    List<List<String>> cases = List.of(
        List.of("fit", "not-counting-test", "--data", missing, "--out",
            dir.resolve("m.pm").toString()),
        List.of("sample", "--model", model.toString(), "-n", "5", "--threads", "2", "--out",
            dir.resolve("o.csv").toString()));
    List<String> expected = List.of(
        "model 'not-counting-test' cannot be fitted on Spark",
        "--threads does not apply on Spark");
    for (int i = 0; i < cases.size(); i++) {
      Commands.Result r = Commands.sparkMain(cases.get(i).toArray(new String[0]));
      assertThat(r.exit()).as(r.toString()).isEqualTo(PmodelException.BAD_INPUT);
      assertThat(r.err().strip()).as(r.toString()).startsWith("pmodel-spark: ")
          .contains(expected.get(i)).doesNotContain("\n").doesNotContain("Exception");
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void aTableWithABadValueNamesTheFileAndTheColumn(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "x,c\n1.5,a\nabc,b\n");
    Commands.Result r = Commands.sparkMain("fit", "histogram", "--data", csv.toString(),
        "--continuous", "x", "--out", dir.resolve("m.pm").toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(PmodelException.BAD_INPUT);
    assertThat(r.err().strip()).isEqualTo("pmodel-spark: " + csv + ": column 'x': 'abc' is not"
        + " a number");
    assertThat(dir.resolve("m.pm")).doesNotExist();
  }
}
