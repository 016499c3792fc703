package pmodel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where plugins are looked for, and the problems of directories that hold none. */
class PluginDirectoriesTest {
  @TempDir
  Path dir;

  @Test
  void optionThenVariableThenHomeEachDirectoryOnce() throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Path c = dir.resolve("c");
    Path home = dir.resolve("home");
    Files.createDirectories(home.resolve(".pmodel/plugins"));
    String sep = File.pathSeparator;
    assertThat(ModelRegistry.pluginDirectories(b + sep + a, c + sep + sep + b, home))
        .containsExactly(b, a, c, home.resolve(".pmodel/plugins"));
  }

  @Test
  void aMissingHomePluginDirectoryIsNotSearchedButANamedOneIsReported() {
    assertThat(ModelRegistry.pluginDirectories(null, "", dir)).isEmpty();
    Path missing = dir.resolve("missing");
    ModelRegistry r = ModelRegistry.discover(List.of(missing));
    assertThat(r.problems()).containsExactly("plugin directory " + missing
        + " does not exist or is not a directory: skipped");
  }

  @Test
  void aBrokenJarAndAnEmptyPluginAreOneLineEach() throws IOException {
    Files.createDirectories(dir.resolve("broken"));
    Files.writeString(dir.resolve("broken/x.jar"), "not a zip");
    Files.createDirectories(dir.resolve("empty"));
    Files.createDirectories(dir.resolve(".hidden"));
    ModelRegistry r = ModelRegistry.discover(List.of(dir));
    assertThat(r.problems()).hasSize(2);
    assertThat(r.problems().get(0)).startsWith("plugin " + dir.resolve("broken")
        + " failed to load and was skipped: ").contains("x.jar").doesNotContain("\n");
    assertThat(r.problems().get(1)).isEqualTo("plugin " + dir.resolve("empty") + " failed to"
        + " load and was skipped: no jar in " + dir.resolve("empty"));
  }
}
