package pmodel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Environment variables are explicit choices: a wrong value is an error naming it. */
class EnvironmentIT {
  @TempDir
  Path dir;

  @Test
  void aFashionMnistDirectoryThatDoesNotExistIsAnErrorNotAFallback() throws Exception {
    Path missing = dir.resolve("no-such-folder");
    CliProcess.Result r = CliProcess.run(dir, 120,
        Map.of("PMODEL_FASHION_MNIST_DIR", missing.toString()), List.of(),
        "fit", "naive-bayes", "--data", "builtin:fashion-mnist:test", "--out",
        dir.resolve("m.pm").toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("pmodel: PMODEL_FASHION_MNIST_DIR=" + missing
        + ": no such directory; point it at a directory holding train-images-idx3-ubyte.gz and"
        + " t10k-images-idx3-ubyte.gz, or unset it to use /usr/share/datasets/fashion-mnist");
    assertThat(dir.resolve("m.pm")).doesNotExist();
  }
}
