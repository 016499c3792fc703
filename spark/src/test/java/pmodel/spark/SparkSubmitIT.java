package pmodel.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pmodel.data.builtin.Outfits;
import pmodel.data.io.CsvData;

/**
 * The packaged jar as a Spark user runs it: {@code spark/pmodel-spark}, which hands
 * {@code target/pmodel-spark-submit.jar} to Spark's own SparkSubmit (what {@code spark-submit}
 * runs) in local mode. The built-in models are found inside the jar, a fit and a sample run
 * (bad input: ErrorCatalogueIT).
 */
class SparkSubmitIT {
  static final Path SCRIPT = Path.of("pmodel-spark").toAbsolutePath();

  static Commands.Result submit(Path dir, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(SCRIPT.toString());
    cmd.addAll(List.of(args));
    return Commands.run(cmd, Map.of("PMODEL_SPARK_MASTER", "local[2]", "PMODEL_SPARK_OPTS",
        "-Xmx1g"), dir, 300);
  }

  @Test
  void theJarFindsItsModelsFitsAndSamples(@TempDir Path dir) throws IOException {
    Commands.Result models = submit(dir, "models");
    assertThat(models.exit()).as(models.toString()).isZero();
    assertThat(models.out()).contains("histogram (explicit-tractable)")
        .contains("naive-bayes (explicit-tractable)").contains("on Spark: fit and sample");

    CsvData.write(dir.resolve("train.csv"), Outfits.sample(5_000, 4, 0));
    Commands.Result fit = submit(dir, "fit", "histogram", "--data", "train.csv", "--out",
        "h.pm");
    assertThat(fit.exit()).as(fit.toString()).isZero();
    assertThat(fit.out()).contains("fitted histogram on 5000 rows of 5 features");
    try (ZipFile zip = new ZipFile(dir.resolve("h.pm").toFile())) {
      JsonNode root = new ObjectMapper().readTree(zip.getInputStream(zip.getEntry("model.json")));
      assertThat(root.at("/provider/version").asText())
          .isEqualTo(System.getProperty("pmodel.version"));
      assertThat(root.at("/provenance/training_rows").asLong()).isEqualTo(5000);
    }

    Commands.Result sample = submit(dir, "sample", "--model", "h.pm", "-n", "1000", "--seed",
        "2", "--out", "s.csv");
    assertThat(sample.exit()).as(sample.toString()).isZero();
    long rows = 0;
    try (Stream<Path> parts = Files.list(dir.resolve("s.csv"))) {
      for (Path p : parts.filter(p -> p.getFileName().toString().endsWith(".csv")).toList()) {
        List<String> lines = Files.readAllLines(p);
        assertThat(lines.get(0)).isEqualTo(String.join(",", Outfits.FEATURES));
        rows += lines.size() - 1;
      }
    }
    assertThat(rows).isEqualTo(1000);
  }
}
