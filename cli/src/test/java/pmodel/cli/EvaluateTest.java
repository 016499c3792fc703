package pmodel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import pmodel.api.ExactDensity;
import pmodel.runtime.ModelRegistry;
import pmodel.data.builtin.Outfits;
import pmodel.api.data.Dataset;
import pmodel.eval.Evaluation;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.ModelProvider;
import pmodel.api.params.Parameters;

/** {@code pmodel evaluate}: figures checked against direct computations and known answers. */
class EvaluateTest extends CommandLineTestBase {
  static final String TRAIN = "builtin:outfits?rows=3000&seed=4";
  static final String TEST = "builtin:outfits:test?rows=1500&seed=4";

  JsonNode evaluate(String... extra) {
    String[] args = new String[extra.length + 7];
    System.arraycopy(new String[] {"evaluate", "--train", TRAIN, "--test", TEST, "--json",
        "--samples"}, 0, args, 0, 7);
    System.arraycopy(extra, 0, args, 7, extra.length);
    Result r = run(args);
    assertThat(r.exit()).as(r.err()).isZero();
    return JsonOut.parse(r.out());
  }

  @Test
  void figuresEqualDirectComputationsAndAreReproducible() {
    JsonNode arr = evaluate("2000", "--models", "histogram,naive-bayes,implicit-test", "--set",
        "histogram.alpha=0.5");
    assertThat(arr).hasSize(3);
    Dataset train = Outfits.sample(3000, 4, 0);
    Dataset test = Outfits.sample(1500, 4, 1);
    for (int m = 0; m < 2; m++) {
      JsonNode o = arr.get(m);
      ModelProvider p = ModelRegistry.discover().get(o.get("model").asText());
      Parameters params = m == 0 ? Parameters.parse("histogram", p.parameters(),
          java.util.Map.of("alpha", "0.5")) : Parameters.defaults(p.parameters());
      ExactDensity model = (ExactDensity) p.fit(train, params, FitContext.of(0, 1));
      assertThat(o.get("family").asText()).isEqualTo("explicit-tractable");
      assertThat(o.get("kind").asText()).isEqualTo("exact");
      double nll = Evaluation.exactNll(model, test, 1).nllNatsPerRow();
      assertThat(o.get("nll_nats_per_row").asDouble()).isCloseTo(nll, within(1e-9));
      assertThat(o.get("bits_per_dim").asDouble()).isCloseTo(nll / (5 * Math.log(2)),
          within(1e-9));
      assertThat(o.get("kl_nats").asDouble()).isCloseTo(
          Evaluation.klDivergence(Outfits.probabilities(), model), within(1e-9));
      assertThat(o.get("free_parameters").asLong()).isEqualTo(m == 0 ? 4031 : 23);
      assertThat(o.get("samples").asInt()).isEqualTo(2000);
      assertThat(o.get("marginal_tv").asDouble()).isBetween(0.0, 1.0);
      assertThat(o.get("marginal_tv_by_feature").get("hair_color").asDouble()).isBetween(0.0, 1.0);
      assertThat(o.get("pair_tv").asDouble()).isBetween(0.0, 1.0);
      assertThat(o.get("copy_fraction").asDouble()).isBetween(0.0, 1.0);
      assertThat(o.get("fit_seconds").asDouble()).isNotNegative();
    }
    JsonNode implicit = arr.get(2);
    assertThat(implicit.get("family").asText()).isEqualTo("implicit");
    assertThat(implicit.get("kind").asText()).isEqualTo("none");
    assertThat(implicit.get("nll_nats_per_row").isNull()).isTrue();
    assertThat(implicit.get("bits_per_dim").isNull()).isTrue();
    assertThat(implicit.get("likelihood").asText()).contains("no likelihood");
    assertThat(implicit.has("kl_nats")).isFalse();
    // it resamples the training rows: every sample is a copy of a training row
    assertThat(implicit.get("copy_fraction").asDouble()).isEqualTo(1.0);

    // the same seed gives the same figures (except the fit time) on another thread count
    JsonNode again = evaluate("2000", "--models", "histogram,naive-bayes,implicit-test", "--set",
        "histogram.alpha=0.5", "--threads", "1");
    for (int m = 0; m < 3; m++) {
      ((ObjectNode) arr.get(m)).remove("fit_seconds");
      ((ObjectNode) again.get(m)).remove("fit_seconds");
    }
    assertThat(again).isEqualTo(arr);
    JsonNode otherSeed = evaluate("2000", "--models", "naive-bayes", "--seed", "1");
    assertThat(otherSeed.get(0).get("marginal_tv")).isNotEqualTo(arr.get(1).get("marginal_tv"));
  }

  @Test
  void implicitModelsAreToldInWordsInTheTextTable() {
    Result r = run("evaluate", "--train", TRAIN, "--test", TEST, "--models",
        "naive-bayes,implicit-test", "--samples", "500");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("trained on 3000 rows, evaluated on 1500 held-out rows and 500"
        + " samples per model");
    assertThat(r.out()).containsPattern("implicit-test +implicit .* none +none\\*");
    assertThat(r.out()).contains("* implicit-test: none: implicit model, it defines only a"
        + " sampler and no likelihood; judge it by its samples");
  }

  @Test
  void worldPointsAndImagesGetTheirOwnMetrics() {
    Result w = run("evaluate", "--train", "builtin:world?rows=4000", "--test",
        "builtin:world:test?rows=1000", "--models", "histogram", "--set", "histogram.bins=40",
        "--samples", "1000", "--json");
    assertThat(w.exit()).as(w.err()).isZero();
    JsonNode o = JsonOut.parse(w.out()).get(0);
    assertThat(o.get("marginal_tv_by_feature").has("lon")).isTrue();
    assertThat(o.get("copy_fraction").asDouble()).isZero();
    assertThat(o.has("nll_infinite")).isTrue();

    Result f = run("evaluate", "--train", "builtin:fashion-mnist-subset:train?rows=1000",
        "--test", "builtin:fashion-mnist-subset:test?rows=300", "--models",
        "naive-bayes,implicit-test", "--samples", "40", "--json");
    assertThat(f.exit()).as(f.err()).isZero();
    JsonNode nb = JsonOut.parse(f.out()).get(0);
    JsonNode copier = JsonOut.parse(f.out()).get(1);
    assertThat(nb.get("bits_per_dim").asDouble()).isBetween(3.0, 8.0);
    assertThat(nb.get("heldout_nearest_train_distance").asDouble()).isPositive();
    assertThat(nb.get("nearest_train_distance").asDouble())
        .isGreaterThan(nb.get("heldout_nearest_train_distance").asDouble());
    // copies of training images are at distance 0
    assertThat(copier.get("nearest_train_distance").asDouble()).isZero();
    assertThat(copier.get("copy_fraction").asDouble()).isEqualTo(1.0);
    assertThat(copier.get("pixel_mean_error").asDouble()).isBetween(0.0, 1.0);
  }

  @Test
  void everyCommandPrintsItsHelp() {
    for (String command : new String[] {"evaluate", "fit", "demo", "score"}) {
      Result r = run(command, "--help");
      assertThat(r.exit()).as(command + ": " + r.err()).isZero();
      assertThat(r.out()).startsWith("Usage: pmodel " + command);
    }
    assertThat(run("evaluate", "--help").out()).contains("--models=ID").contains("--report=FILE")
        .contains("--samples=N");
  }

  @Test
  void aCsvTestFileIsReadAgainstTheTrainingSchema() throws IOException {
    Files.writeString(file("train.csv"), "colour,size\nred,S\nblue,M\nred,M\ngreen,L\n");
    // the test file lacks 'green' and 'L': read alone its levels would differ
    Files.writeString(file("test.csv"), "colour,size\nred,S\nblue,S\n");
    Result r = run("evaluate", "--train", "@train.csv", "--test", "@test.csv", "--models",
        "histogram,implicit-test", "--samples", "100", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode arr = JsonOut.parse(r.out());
    // uniform smoothing over 3*3 cells: (n + 1)/(4 + 9); red,S seen once, blue,S never
    double expected = -(Math.log(2 / 13.0) + Math.log(1 / 13.0)) / 2;
    assertThat(arr.get(0).get("nll_nats_per_row").asDouble()).isCloseTo(expected, within(1e-12));
    assertThat(arr.get(1).get("copy_fraction").asDouble()).isEqualTo(1.0);
    Files.writeString(file("purple.csv"), "colour,size\npurple,S\n");
    refused("purple.csv:2: column 'colour': unknown level 'purple'", null, "evaluate",
        "--train", "@train.csv", "--test", "@purple.csv", "--models", "histogram");
  }

  @Test
  void badInputIsRefusedWithOneLineAndNothingWritten() throws IOException {
    refused("--train builtin:outfits?rows=100 and --test builtin:world:test have different"
        + " schemas (5 features versus 2)", "r.html", "evaluate", "--train",
        "builtin:outfits?rows=100", "--test", "builtin:world:test", "--models", "histogram",
        "--report", "@r.html");
    refused("no model 'transformer'; installed: bayesnet, diffusion, flow, gan, histogram, implicit-test, naive-bayes, vae",
        "r.html", "evaluate", "--train", TRAIN, "--test", TEST, "--models", "histogram,transformer",
        "--report", "@r.html");
    refused("--samples 0 is out of range; expected 1..1000000", "r.html", "evaluate", "--train",
        TRAIN, "--test", TEST, "--models", "histogram", "--samples", "0", "--report", "@r.html");
    refused("--set transformer.alpha=1: model 'transformer' is not in --models (histogram)", "r.html",
        "evaluate", "--train", TRAIN, "--test", TEST, "--models", "histogram", "--set",
        "transformer.alpha=1", "--report", "@r.html");
    refused("--models lists 'histogram' twice", "r.html", "evaluate", "--train", TRAIN, "--test",
        TEST, "--models", "histogram,histogram", "--report", "@r.html");
    refused("model 'implicit-test' cannot model builtin:world", "r.html", "evaluate", "--train",
        "builtin:world", "--test", "builtin:world:test", "--models", "implicit-test",
        "--report", "@r.html");
    // an implicit model asked for a likelihood
    Result fit = run("fit", "implicit-test", "--data", TRAIN, "--out", "@gan.pm");
    assertThat(fit.exit()).as(fit.err()).isZero();
    refused("model 'implicit-test' is implicit: it has no likelihood to score, only a sampler",
        "rows.csv", "score", "--model", "@gan.pm", "--data", TEST, "--per-row", "@rows.csv");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.contains("pmodel-tmp") || n.endsWith(".html"));
    }
  }
}
