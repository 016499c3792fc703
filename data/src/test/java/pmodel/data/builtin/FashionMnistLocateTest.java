package pmodel.data.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pmodel.api.error.PmodelException;

/** PMODEL_FASHION_MNIST_DIR is an explicit choice: a wrong value is an error, not a fallback. */
class FashionMnistLocateTest {
  @TempDir
  Path dir;

  @Test
  void aVariableNamingAMissingFolderIsAnErrorNamingBoth() {
    Path missing = dir.resolve("no-such-folder");
    assertThatThrownBy(() -> FashionMnist.locate(null, missing.toString()))
        .isInstanceOf(PmodelException.class)
        .hasMessageStartingWith("PMODEL_FASHION_MNIST_DIR=" + missing + ": no such directory");
  }

  @Test
  void aVariableNamingAFolderWithoutTheFilesIsAnError() {
    assertThatThrownBy(() -> FashionMnist.locate(null, dir.toString()))
        .isInstanceOf(PmodelException.class)
        .hasMessageContaining("PMODEL_FASHION_MNIST_DIR=" + dir + ": the directory holds no");
  }

  @Test
  void aFolderWithTheFilesIsUsedAndAGivenFolderComesFirst() throws IOException {
    Files.createFile(dir.resolve("train-images-idx3-ubyte.gz"));
    Files.createFile(dir.resolve("t10k-images-idx3-ubyte"));
    assertThat(FashionMnist.locate(null, dir.toString())).contains(dir);
    // a given directory that holds the files wins before the variable is looked at
    assertThat(FashionMnist.locate(dir, "/no/such/folder")).contains(dir);
  }
}
