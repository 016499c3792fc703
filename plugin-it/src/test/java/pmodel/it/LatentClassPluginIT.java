package pmodel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import pmodel.it.Launcher.Result;

/**
 * The third-party plugin from start to end, as a user would do it: build
 * examples/latent-class-plugin with Maven against the pmodel artifacts of this build (which runs
 * the plugin's own tests: the conformance kit and the outfits comparison), put it into a plugin
 * directory, and use it through the real {@code ./pmodel} launcher.
 *
 * <p>The example resolves pmodel-api and pmodel-tck from a private local repository that this
 * module's pom fills with {@code install:install-file} (target/pmodel-repo); everything else
 * (Maven plugins, JUnit, Jackson) comes from the user's ~/.m2, chained read-only behind it
 * ({@code maven.repo.local.tail}). No SNAPSHOT reaches the shared ~/.m2, and the build stays
 * offline-capable once ~/.m2 holds what the main build needs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LatentClassPluginIT {
  Path work;

  Path home;
  Path plugins;
  Path installed;

  @BeforeAll
  void buildTheExamplePluginAndInstallIt(@TempDir Path dir) throws IOException {
    work = dir;
    Path project = work.resolve("latent-class-plugin");
    Launcher.copyTree(Launcher.ROOT.resolve("examples/latent-class-plugin"), project);
    List<String> mvn = new ArrayList<>(List.of(Launcher.ROOT.resolve("mvnw").toString(), "-B",
        "-q", "-f", project.resolve("pom.xml").toString(),
        "-Dmaven.repo.local=" + System.getProperty("pmodel.it.repo"),
        "-Dmaven.repo.local.tail=" + System.getProperty("pmodel.it.sharedRepo"),
        "-Dpmodel.version=" + System.getProperty("pmodel.version")));
    if ("offline-true".equals(System.getProperty("pmodel.it.offline"))) {
      mvn.add("-o");
    }
    mvn.add("package");
    Result build = Launcher.run(mvn, Map.of(), project, 600);
    assertThat(build.exit()).as("building the example plugin:\n%s", build).isZero();

    home = Files.createDirectories(work.resolve("home"));
    plugins = Files.createDirectories(work.resolve("plugins"));
    installed = plugins.resolve("latent-class");
    Launcher.copyTree(project.resolve("target/pmodel-plugin/latent-class"), installed);
    try (var jars = Files.list(installed)) {
      assertThat(jars.map(p -> p.getFileName().toString()).toList())
          .containsExactly("latent-class-plugin-1.0.0.jar");
    }
  }

  Result pmodel(String... args) {
    return Launcher.pmodel(home, Map.of(), args);
  }

  Path file(String name) {
    return work.resolve(name);
  }

  @Test
  void modelsListsThePluginWithItsOriginBesideTheBuiltInOnes() {
    Result r = pmodel("--plugin-path", plugins.toString(), "models");
    assertThat(r.exit()).as("%s", r).isZero();
    assertThat(r.err()).as("%s", r).isEmpty();
    assertThat(r.out())
        .contains("latent-class (explicit-tractable): a mixture of K latent classes")
        .contains("  capabilities: sampling, exact-density, conditional-sampling")
        .contains("API version 1, origin: plugin " + installed)
        .contains("--set classes=5  (an integer in 1..256)")
        .contains("histogram (explicit-tractable)").contains("origin: built in");
    Result json = pmodel("models", "--json", "--plugin-path", plugins.toString());
    JsonNode lc = null;
    for (JsonNode m : parse(json.out())) {
      if (m.get("id").asText().equals("latent-class")) {
        lc = m;
      }
    }
    assertThat(lc).as("%s", json).isNotNull();
    assertThat(lc.get("origin").asText()).isEqualTo("plugin " + installed);
    assertThat(lc.get("api_version").asInt()).isEqualTo(1);
    assertThat(lc.get("family").asText()).isEqualTo("explicit-tractable");
  }

  @Test
  void fitSampleScoreAndInspectWorkThroughThePlugin() throws IOException {
    String path = plugins.toString();
    Result fit = pmodel("fit", "latent-class", "--plugin-path", path, "--data",
        "builtin:outfits?rows=5000&seed=1", "--seed", "3", "--out", file("lc.pm").toString());
    assertThat(fit.exit()).as("%s", fit).isZero();
    assertThat(fit.out()).contains("fitted latent-class on 5000 rows of 5 features")
        .contains("119 free parameters");

    Result sample = pmodel("--plugin-path", path, "sample", "--model", file("lc.pm").toString(),
        "-n", "500", "--seed", "5", "--given", "hair_color=Red", "--out",
        file("red.csv").toString());
    assertThat(sample.exit()).as("%s", sample).isZero();
    List<String> lines = Files.readAllLines(file("red.csv"));
    assertThat(lines).hasSize(501);
    assertThat(lines.get(0)).isEqualTo(
        "accessories,clothing_color,clothing_type,hair_color,hair_type");
    assertThat(lines.subList(1, 501)).allSatisfy(l -> assertThat(l.split(",")[3])
        .isEqualTo("Red"));

    Result inspect = pmodel("--plugin-path", path, "inspect", "--model",
        file("lc.pm").toString());
    assertThat(inspect.exit()).as("%s", inspect).isZero();
    assertThat(inspect.out()).contains("model: latent-class 1.0.0 (explicit-tractable)")
        .contains("free parameters: 119").contains("class ").contains("(weight ");

    // the held-out NLL of the plugin's model and of the built-in ones, through the same
    // commands: five classes beat naive Bayes (P_data is a mixture of five styles)
    double lc = nll(path, "lc.pm");
    for (String builtIn : List.of("naive-bayes", "histogram")) {
      Result f = pmodel("fit", builtIn, "--data", "builtin:outfits?rows=5000&seed=1", "--out",
          file(builtIn + ".pm").toString());
      assertThat(f.exit()).as("%s", f).isZero();
    }
    double nb = nll(path, "naive-bayes.pm");
    double hist = nll(path, "histogram.pm");
    // E[NLL] = H(P_data) + KL(P_data‖model); KL is about 0.515 for naive Bayes and about 0.02
    // for five classes at N = 5000, so the difference is about 0.5 nats per row; with 20,000
    // held-out rows its standard error is below 0.01.
    assertThat(nb - lc).as("naive Bayes %s, latent-class %s", nb, lc).isGreaterThan(0.4);
    assertThat(hist).as("the histogram at N = 5000").isGreaterThan(lc);

    // evaluate compares the plugin with the built-in models on one split, in the same units,
    // with the exact KL to the known P_data of outfits
    Result ev = pmodel("evaluate", "--plugin-path", path, "--train",
        "builtin:outfits?rows=5000&seed=1", "--test", "builtin:outfits:test?rows=20000&seed=9",
        "--models", "latent-class,naive-bayes,histogram", "--samples", "5000", "--seed", "3",
        "--json");
    assertThat(ev.exit()).as("%s", ev).isZero();
    Map<String, JsonNode> byModel = new java.util.HashMap<>();
    for (JsonNode m : parse(ev.out())) {
      byModel.put(m.get("model").asText(), m);
    }
    assertThat(byModel).containsOnlyKeys("latent-class", "naive-bayes", "histogram");
    JsonNode lcEval = byModel.get("latent-class");
    assertThat(lcEval.get("kind").asText()).isEqualTo("exact");
    assertThat(lcEval.get("free_parameters").asLong()).isEqualTo(119);
    // the same split and seed as 'score' above: the same held-out NLL
    assertThat(lcEval.get("nll_nats_per_row").asDouble()).isCloseTo(lc,
        org.assertj.core.api.Assertions.within(1e-9));
    // KL to P_data: naive Bayes cannot go below 0.513 nats; five classes reach about
    // 119/(2*5000) = 0.012 nats of estimation error (the kit's example test asserts < 0.027)
    assertThat(byModel.get("naive-bayes").get("kl_nats").asDouble()).isGreaterThan(0.51);
    assertThat(lcEval.get("kl_nats").asDouble()).isLessThan(0.027);
  }

  double nll(String path, String model) {
    Result r = pmodel("score", "--plugin-path", path, "--model", file(model).toString(),
        "--data", "builtin:outfits:test?rows=20000&seed=9", "--json");
    assertThat(r.exit()).as("%s", r).isZero();
    JsonNode j = parse(r.out());
    assertThat(j.get("kind").asText()).isEqualTo("exact");
    return j.get("nll_nats_per_row").asDouble();
  }

  static JsonNode parse(String json) {
    try {
      return new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  @Test
  void theEnvironmentVariableAndTheHomeDirectoryAreSearchedToo() throws IOException {
    Result env = Launcher.pmodel(home, Map.of("PMODEL_PLUGIN_PATH", plugins.toString()),
        "models");
    assertThat(env.out()).as("%s", env).contains("origin: plugin " + installed);

    Path otherHome = Files.createDirectories(work.resolve("other-home"));
    Path homePlugins = otherHome.resolve(".pmodel/plugins/latent-class");
    Launcher.copyTree(installed, homePlugins);
    Result fromHome = Launcher.pmodel(otherHome, Map.of(), "models");
    assertThat(fromHome.out()).as("%s", fromHome).contains("origin: plugin " + homePlugins);

    // both: the --plugin-path copy comes first; the copy in the home directory is a duplicate
    Result both = Launcher.pmodel(otherHome, Map.of(), "--plugin-path", plugins.toString(),
        "models");
    assertThat(both.exit()).isZero();
    assertThat(both.out()).contains("origin: plugin " + installed);
    assertThat(both.err().strip()).isEqualTo("pmodel: warning: duplicate model id"
        + " 'latent-class': the model from plugin " + homePlugins + " was skipped;"
        + " 'latent-class' is already the model from plugin " + installed);
  }

  @Test
  void withoutThePluginItsModelFilesAreRefusedClearly() {
    Result fit = pmodel("fit", "latent-class", "--plugin-path", plugins.toString(), "--data",
        "builtin:outfits?rows=200", "--out", file("small.pm").toString());
    assertThat(fit.exit()).as("%s", fit).isZero();
    Result r = pmodel("inspect", "--model", file("small.pm").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("pmodel: model file " + file("small.pm")
        + " needs model 'latent-class', which is not installed; installed: bayesnet, diffusion, flow, gan, histogram,"
        + " naive-bayes, vae; put its plugin into a plugin directory (--plugin-path DIR,"
        + " $PMODEL_PLUGIN_PATH or ~/.pmodel/plugins)");
  }
}
