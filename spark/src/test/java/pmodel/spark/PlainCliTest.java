package pmodel.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pmodel.data.builtin.Outfits;
import pmodel.data.builtin.World;
import pmodel.data.io.CsvData;

/**
 * A model file written by the Spark fit is the file {@code pmodel fit} writes for the same CSV
 * rows (the same schema, hyperparameters, parameters and blobs; only the provenance differs), and
 * the plain CLI loads it and scores every held-out row identically.
 */
class PlainCliTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource({"naive-bayes, outfits, ''", "histogram, outfits, ''",
      "histogram, world, 'lon,lat'", "naive-bayes, world, 'lon,lat'"})
  void theSparkModelFileIsTheCliOneAndScoresIdentically(String model, String data,
      String continuous, @TempDir Path dir) throws IOException {
    Path train = dir.resolve("train.csv");
    Path test = dir.resolve("test.csv");
    if (data.equals("outfits")) {
      CsvData.write(train, Outfits.sample(20_000, 3, 0));
      CsvData.write(test, Outfits.sample(2_000, 3, 1));
    } else {
      CsvData.write(train, World.sample(20_000, 3, 0));
      CsvData.write(test, World.sample(2_000, 3, 1));
    }
    String[] cont = continuous.isEmpty() ? new String[0]
        : new String[] {"--continuous", continuous};
    Commands.Result spark = Commands.sparkMain(concat(new String[] {"fit", model, "--data",
        train.toString(), "--set", "bins=16", "--out", dir.resolve("spark.pm").toString()},
        cont));
    assertThat(spark.exit()).as(spark.toString()).isZero();
    assertThat(spark.out()).contains("fitted " + model + " on 20000 rows");
    Commands.Result cli = Commands.pmodel(dir, concat(new String[] {"fit", model, "--data",
        train.toString(), "--set", "bins=16", "--out", "cli.pm"}, cont));
    assertThat(cli.exit()).as(cli.toString()).isZero();

    assertThat(contents(dir.resolve("spark.pm"))).isEqualTo(contents(dir.resolve("cli.pm")));

    for (String m : new String[] {"spark", "cli"}) {
      Commands.Result score = Commands.pmodel(dir, "score", "--model", m + ".pm", "--data",
          test.toString(), "--json", "--per-row", m + "-rows.csv");
      assertThat(score.exit()).as(score.toString()).isZero();
      Files.writeString(dir.resolve(m + "-score.json"), score.out());
    }
    assertThat(Files.readString(dir.resolve("spark-rows.csv")))
        .isEqualTo(Files.readString(dir.resolve("cli-rows.csv")))
        .hasLineCount(2_001);
    assertThat(Files.readString(dir.resolve("spark-score.json")))
        .isEqualTo(Files.readString(dir.resolve("cli-score.json")))
        .contains("\"kind\" : \"exact\"");
    Commands.Result inspect = Commands.pmodel(dir, "inspect", "--model", "spark.pm");
    assertThat(inspect.exit()).as(inspect.toString()).isZero();
    assertThat(inspect.out()).contains("unavailable (fitted on Spark)");
  }

  static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * What a model file holds besides its provenance: model.json without "provenance" and
   * "provider.version", and every blob's bytes. The provider's version is what its module or jar
   * manifest says, so it is "dev" for the classes these tests load from a build directory (the
   * jar for spark-submit carries the version: SparkSubmitIT).
   */
  static Map<String, Object> contents(Path file) throws IOException {
    Map<String, Object> out = new TreeMap<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      for (ZipEntry e : java.util.Collections.list(zip.entries())) {
        byte[] bytes = zip.getInputStream(e).readAllBytes();
        if (e.getName().equals("model.json")) {
          com.fasterxml.jackson.databind.node.ObjectNode root =
              (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(bytes);
          JsonNode prov = root.remove("provenance");
          assertThat(prov).isNotNull();
          assertThat(((com.fasterxml.jackson.databind.node.ObjectNode) root.get("provider"))
              .remove("version")).isNotNull();
          out.put(e.getName(), root);
        } else {
          out.put(e.getName(), java.util.HexFormat.of().formatHex(bytes));
        }
      }
    }
    assertThat(out).containsKey("model.json");
    return out;
  }
}
