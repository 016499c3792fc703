package pmodel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pmodel command, run in-process as a user would type it. */
class CliTest extends CommandLineTestBase {
  @BeforeEach
  void fitTwoModels() {
    assertThat(run("fit", "histogram", "--data", "builtin:outfits?rows=5000&seed=1", "--out",
        "@h.pm").exit()).isZero();
    assertThat(run("fit", "naive-bayes", "--data", "builtin:outfits?rows=5000&seed=1", "--out",
        "@nb.pm").exit()).isZero();
  }

  @Test
  void modelsListsBothProvidersAsJson() {
    Result r = run("models", "--json");
    assertThat(r.exit()).isZero();
    JsonNode arr = JsonOut.parse(r.out());
    // the seven real plugins and the test-only implicit provider (cli test resources), sorted
    assertThat(arr).hasSize(8);
    List<String> ids = new java.util.ArrayList<>();
    arr.forEach(n -> ids.add(n.get("id").asText()));
    assertThat(ids).containsExactly("bayesnet", "diffusion", "flow", "gan", "histogram",
        "implicit-test", "naive-bayes", "vae");
    assertThat(arr.get(3).get("family").asText()).isEqualTo("implicit");
    JsonNode h = arr.get(4);
    assertThat(h.get("family").asText()).isEqualTo("explicit-tractable");
    assertThat(h.get("api_version").asInt()).isEqualTo(1);
    assertThat(h.get("capabilities").toString()).contains("exact-density",
        "conditional-sampling");
    assertThat(h.get("parameters").get(0).get("name").asText()).isEqualTo("alpha");
    assertThat(arr.get(0).get("capabilities").toString()).contains("dependency-graph");
    assertThat(arr.get(1).get("family").asText()).isEqualTo("explicit-approximate");
    assertThat(arr.get(2).get("capabilities").toString()).contains("exact-density",
        "latent-space");
    assertThat(arr.get(7).get("family").asText()).isEqualTo("explicit-approximate");
  }

  @Test
  void fitSampleScoreInspectEndToEnd() throws IOException {
    Result s = run("sample", "--model", "@nb.pm", "-n", "1000", "--seed", "5", "--out",
        "@s.csv");
    assertThat(s.exit()).as(s.err()).isZero();
    List<String> lines = Files.readAllLines(file("s.csv"));
    assertThat(lines).hasSize(1001);
    assertThat(lines.get(0)).isEqualTo(
        "accessories,clothing_color,clothing_type,hair_color,hair_type");

    Result score = run("score", "--model", "@h.pm", "--data", "@s.csv", "--json", "--per-row",
        "@rows.csv");
    assertThat(score.exit()).as(score.err()).isZero();
    JsonNode j = JsonOut.parse(score.out());
    assertThat(j.get("rows").asInt()).isEqualTo(1000);
    assertThat(j.get("kind").asText()).isEqualTo("exact");
    double nll = j.get("nll_nats_per_row").asDouble();
    assertThat(j.get("bits_per_dim").asDouble()).isEqualTo(nll / (5 * Math.log(2)));
    List<String> rows = Files.readAllLines(file("rows.csv"));
    assertThat(rows).hasSize(1001);
    double sum = 0;
    for (String row : rows.subList(1, rows.size())) {
      sum += Double.parseDouble(row.split(",")[1]);
    }
    assertThat(-sum / 1000).isCloseTo(nll, org.assertj.core.api.Assertions.within(1e-9));

    Result inspect = run("inspect", "--model", "@h.pm", "--json");
    assertThat(inspect.exit()).isZero();
    JsonNode in = JsonOut.parse(inspect.out());
    assertThat(in.get("model").asText()).isEqualTo("histogram");
    assertThat(in.get("free_parameters").asLong()).isEqualTo(4031);
    assertThat(in.get("provenance").get("training_rows").asLong()).isEqualTo(5000);
    assertThat(in.get("summary").get(0).asText()).startsWith("theta=");
    assertThat(run("inspect", "--model", "@nb.pm").out()).contains("free parameters: 23");
  }

  @Test
  void theSameSeedGivesTheSameFileOnOneAndTwoThreads() throws IOException {
    run("sample", "--model", "@h.pm", "-n", "20000", "--seed", "9", "--threads", "1", "--out",
        "@a.csv");
    run("sample", "--model", "@h.pm", "-n", "20000", "--seed", "9", "--threads", "2", "--out",
        "@b.csv");
    assertThat(Files.readAllBytes(file("a.csv"))).isEqualTo(Files.readAllBytes(file("b.csv")));
  }

  @Test
  void conditionalSamplingHoldsTheGivenValue() throws IOException {
    Result r = run("sample", "--model", "@h.pm", "-n", "200", "--given", "hair_color=Red",
        "--given", "accessories=Round", "--out", "@g.csv");
    assertThat(r.exit()).as(r.err()).isZero();
    for (String line : Files.readAllLines(file("g.csv")).subList(1, 201)) {
      String[] v = line.split(",");
      assertThat(v[0]).isEqualTo("Round");
      assertThat(v[3]).isEqualTo("Red");
    }
  }

  @Test
  void infiniteNllIsReportedInWords() throws IOException {
    run("fit", "histogram", "--data", "builtin:outfits?rows=50", "--set", "alpha=0", "--out",
        "@mle.pm");
    Result r = run("score", "--model", "@mle.pm", "--data", "builtin:outfits:test?rows=1000");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("nll: infinite (exact): row").contains("probability zero")
        .contains("bits/dim: infinite");
    JsonNode j = JsonOut.parse(run("score", "--model", "@mle.pm", "--data",
        "builtin:outfits:test?rows=1000", "--json").out());
    assertThat(j.get("infinite").asBoolean()).isTrue();
    assertThat(j.get("bits_per_dim").isNull()).isTrue();
  }

  @Test
  void thePluginPathIsAGlobalOptionAndAMissingDirectoryIsOneWarning() {
    for (String[] args : new String[][] {{"--plugin-path", "@nowhere", "models"},
        {"models", "--plugin-path", "@nowhere"}}) {
      Result r = run(args);
      assertThat(r.exit()).isZero();
      assertThat(r.out()).contains("histogram (explicit-tractable)")
          .contains("origin: built in");
      assertThat(r.err().strip()).isEqualTo("pmodel: warning: plugin directory "
          + file("nowhere") + " does not exist or is not a directory: skipped");
    }
  }

  @Test
  void badInputGetsOneClearLineExitCodeTwoAndNoOutput() throws IOException {
    Files.writeString(file("bad.csv"), "a,b,c\n1,2,3\n4,5\n");
    refused("bad.csv:3: expected 3 columns (a, b, c), found 2", "x.pm",
        "fit", "histogram", "--data", "@bad.csv", "--out", "@x.pm");
    Files.writeString(file("purple.csv"), "accessories,clothing_color,clothing_type,hair_color,"
        + "hair_type\nBlank,Black,Hoodie,Purple,NoHair\n");
    refused("purple.csv:2: column 'hair_color': unknown level 'Purple'", "r.csv",
        "score", "--model", "@h.pm", "--data", "@purple.csv", "--per-row", "@r.csv");
    byte[] idx = {0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3};
    Files.write(file("cut-idx3-ubyte"), idx);
    refused("declares 10x28x28 values = 7856 bytes, but the file holds 19", "x.pm",
        "fit", "naive-bayes", "--data", "@cut-idx3-ubyte", "--out", "@x.pm");
    refused("unknown parameter 'alfa' for model 'histogram'; known: alpha, bins, storage",
        "x.pm", "fit", "histogram", "--data", "builtin:outfits", "--set", "alfa=1", "--out",
        "@x.pm");
    refused("parameter alpha=-0.5 for model 'naive-bayes' is out of range; expected a number >= 0",
        "x.pm", "fit", "naive-bayes", "--data", "builtin:outfits", "--set", "alpha=-0.5",
        "--out", "@x.pm");
    Files.writeString(file("empty.csv"), "a,b\n");
    refused("empty.csv: no data rows; expected at least one", "x.pm",
        "fit", "histogram", "--data", "@empty.csv", "--out", "@x.pm");
    refused("no model 'transformer'; installed: bayesnet, diffusion, flow, gan, histogram, implicit-test, naive-bayes, vae",
        "x.pm", "fit", "transformer", "--data", "builtin:outfits", "--out", "@x.pm");
    refused("--given hair_color=Purple: unknown level", "g.csv",
        "sample", "--model", "@h.pm", "-n", "5", "--given", "hair_color=Purple", "--out",
        "@g.csv");
    refused("is not a pmodel model file", "s.csv",
        "sample", "--model", "@bad.csv", "-n", "5", "--out", "@s.csv");
    refused("Missing required option: '--out=FILE'", null, "fit", "histogram", "--data",
        "builtin:outfits");
  }

  @Test
  void modelFilesWithAnUnknownVersionOrProviderAreRefused() throws IOException {
    rewriteJson("h.pm", "v.pm", "\"format_version\" : 1", "\"format_version\" : 7");
    refused("has format version 7; this pmodel reads format version 1", "s.csv",
        "sample", "--model", "@v.pm", "-n", "5", "--out", "@s.csv");
    rewriteJson("h.pm", "p.pm", "\"id\" : \"histogram\"", "\"id\" : \"transformer\"");
    refused("needs model 'transformer', which is not installed; installed: bayesnet, diffusion, flow, gan, histogram,"
        + " implicit-test, naive-bayes, vae",
        "s.csv", "sample", "--model", "@p.pm", "-n", "5", "--out", "@s.csv");
  }

  private void rewriteJson(String from, String to, String find, String replace)
      throws IOException {
    try (var in = new java.util.zip.ZipFile(file(from).toFile());
        var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(file(to)))) {
      var entries = in.entries();
      while (entries.hasMoreElements()) {
        var e = entries.nextElement();
        byte[] bytes = in.getInputStream(e).readAllBytes();
        if (e.getName().equals("model.json")) {
          String json = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
          assertThat(json).contains(find);
          bytes = json.replace(find, replace).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
        out.write(bytes);
        out.closeEntry();
      }
    }
  }

  @Test
  void outReplacesAnExistingFileAtomically() throws IOException {
    Files.writeString(file("s.csv"), "old");
    assertThat(run("sample", "--model", "@h.pm", "-n", "3", "--out", "@s.csv").exit()).isZero();
    assertThat(Files.readString(file("s.csv"))).startsWith("accessories,");
    // a failing run leaves the previous file untouched
    refused("unknown level", null, "sample", "--model", "@h.pm", "-n", "3", "--given",
        "hair_color=Purple", "--out", "@s.csv");
    assertThat(Files.readString(file("s.csv"))).startsWith("accessories,");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.contains("pmodel-tmp"));
    }
  }
}
