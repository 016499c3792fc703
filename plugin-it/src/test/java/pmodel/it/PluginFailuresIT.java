package pmodel.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import pmodel.it.Launcher.Result;

/**
 * A plugin directory with a broken jar, a plugin built for another API version, a duplicate id,
 * a plugin that provides nothing and a jar outside any plugin sub-directory: each is reported in
 * one line and skipped, and the other plugins (two of which bundle different versions of one
 * library) keep working, through the real launcher.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PluginFailuresIT {
  Path work;

  Path home;
  Path plugins;

  @BeforeAll
  void makeAPluginDirectory(@TempDir Path tmp) throws IOException {
    work = tmp;
    home = Files.createDirectories(work.resolve("home"));
    plugins = Files.createDirectories(work.resolve("plugins"));
    String pmodel = PluginJars.pmodelModulePath();

    Files.createDirectories(plugins.resolve("broken"));
    Files.writeString(plugins.resolve("broken/broken.jar"), "this is not a jar");

    PluginJars.build(plugins.resolve("old-api/old-api.jar"), PluginJars.provider("old.api",
        "old-model", "0", "\"built for API version 0\"", null, true), pmodel);

    PluginJars.build(plugins.resolve("copycat/copycat.jar"), PluginJars.provider("copy.cat",
        "naive-bayes", "API_VERSION", "\"another naive Bayes\"", null, true), pmodel);

    PluginJars.build(plugins.resolve("no-provider/nothing.jar"), PluginJars.provider(
        "no.provider", "nothing", "API_VERSION", "\"never listed\"", null, false), pmodel);

    Files.writeString(plugins.resolve("loose.jar"), "a jar outside any plugin sub-directory");

    // two plugins bundling two versions of one (plain, automatic-module) library
    for (int v : new int[] {1, 2}) {
      Path dir = plugins.resolve("greeting-" + v);
      Path lib = PluginJars.greetingLibrary(dir, v);
      PluginJars.build(dir.resolve("greeting-" + v + ".jar"), PluginJars.provider(
          "greeting.v" + v, "greeting-" + v, "API_VERSION",
          "\"uses acme-greeting \" + acme.greeting.Greeting.version()", "acme.greeting", true),
          pmodel + java.io.File.pathSeparator + lib);
    }

    // a plugin that bundles a (plain, automatic-module) jar of a module pmodel has itself,
    // Jackson's annotations: pmodel's copy is used, the bundled one is ignored
    Path shared = plugins.resolve("shared");
    PluginJars.library(shared, "com.fasterxml.jackson.annotation", "a bundled copy");
    PluginJars.build(shared.resolve("shared.jar"), PluginJars.provider("shared.plugin",
        "shared", "API_VERSION",
        "\"sees \" + com.fasterxml.jackson.annotation.JsonProperty.class.getSimpleName()",
        "com.fasterxml.jackson.annotation", true), pmodel);
  }

  @Test
  void eachFailureIsOneLineAndTheOtherPluginsKeepWorking() {
    Result r = Launcher.pmodel(home, Map.of(), "--plugin-path", plugins.toString(), "models");
    assertThat(r.exit()).as("%s", r).isZero();
    assertThat(r.out())
        .contains("greeting-1 (explicit-tractable): uses acme-greeting 1")
        .contains("origin: plugin " + plugins.resolve("greeting-1"))
        .contains("greeting-2 (explicit-tractable): uses acme-greeting 2")
        .contains("origin: plugin " + plugins.resolve("greeting-2"))
        .contains("shared (explicit-tractable): sees JsonProperty")
        .contains("naive-bayes (explicit-tractable): every feature independent")
        .contains("histogram (explicit-tractable)")
        .doesNotContain("old-model").doesNotContain("another naive Bayes");
    List<String> lines = r.err().strip().lines().toList();
    assertThat(lines).as("%s", r).hasSize(5).allSatisfy(l -> assertThat(l)
        .startsWith("pmodel: warning: ").doesNotContain("\tat "));
    String broken = "pmodel: warning: plugin " + plugins.resolve("broken")
        + " failed to load and was skipped: ";
    assertThat(lines).filteredOn(l -> l.startsWith(broken)).singleElement().asString()
        .contains("broken.jar");
    assertThat(lines).filteredOn(l -> !l.startsWith(broken)).containsExactlyInAnyOrder(
        "pmodel: warning: duplicate model id 'naive-bayes': the model from plugin "
            + plugins.resolve("copycat") + " was skipped; 'naive-bayes' is already the model"
            + " built into pmodel",
        "pmodel: warning: plugin directory " + plugins + ": loose.jar is not in a plugin"
            + " sub-directory: skipped; put each plugin with the jars it needs in its own"
            + " sub-directory, e.g. " + plugins.resolve("loose/loose.jar"),
        "pmodel: warning: plugin " + plugins.resolve("no-provider") + " provides no model: its"
            + " jars declare no 'provides pmodel.api.spi.ModelProvider' (module-info.java) and"
            + " no META-INF/services/pmodel.api.spi.ModelProvider: skipped",
        "pmodel: warning: model 'old-model' (plugin " + plugins.resolve("old-api") + ") was"
            + " built for pmodel API version 0; this pmodel has API version 1: skipped");
  }

  @Test
  void commandsStillWorkBesideTheBrokenPlugins() {
    Result fit = Launcher.pmodel(home, Map.of("PMODEL_PLUGIN_PATH", plugins.toString()), "fit",
        "naive-bayes", "--data", "builtin:outfits?rows=100", "--out",
        work.resolve("nb.pm").toString());
    assertThat(fit.exit()).as("%s", fit).isZero();
    assertThat(fit.out()).contains("fitted naive-bayes on 100 rows");
    assertThat(fit.err().strip().lines()).hasSize(5);
  }

  @Test
  void aDirectoryThatDoesNotExistIsOneLineToo() {
    Path missing = work.resolve("no-such-dir");
    Result r = Launcher.pmodel(home, Map.of(), "models", "--plugin-path", missing.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.err().strip()).isEqualTo("pmodel: warning: plugin directory " + missing
        + " does not exist or is not a directory: skipped");
  }
}
