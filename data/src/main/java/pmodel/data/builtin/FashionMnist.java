package pmodel.data.builtin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import pmodel.api.error.PmodelException;
import pmodel.api.data.Dataset;
import pmodel.data.io.IdxData;

/**
 * Fashion-MNIST (Zalando, MIT licence): 60,000 training and 10,000 test images of 28×28 8-bit
 * pixels in 10 classes, read from its IDX files. The directory is the first that holds them of:
 * the one given, {@code $PMODEL_FASHION_MNIST_DIR}, and {@code /usr/share/datasets/fashion-mnist}
 * (Debian's {@code dataset-fashion-mnist} package). Each image carries its class as metadata
 * column {@code label}.
 *
 * <p>A subset ships inside pmodel so that the demo and the tests run without the full data: the
 * first {@value #SUBSET_TRAIN} training and the first {@value #SUBSET_TEST} test images with their
 * labels, unchanged, beside Fashion-MNIST's MIT licence ({@link #readSubset}).
 */
public final class FashionMnist {
  /** Where Debian's package installs the files. */
  public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
  /** The environment variable naming a directory that holds the files. */
  public static final String ENV = "PMODEL_FASHION_MNIST_DIR";

  /** The class names, in label order. */
  public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover",
      "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  /** The number of training images in the shipped subset. */
  public static final int SUBSET_TRAIN = 3000;
  /** The number of test images in the shipped subset. */
  public static final int SUBSET_TEST = 1000;

  private static final String SUBSET_RESOURCE = "fashion-mnist-subset/";
  private static Path subsetDir;

  private FashionMnist() {
  }

  /** The training or the test split. */
  public enum Split {
    TRAIN("train"), TEST("t10k");

    private final String prefix;

    Split(String prefix) {
      this.prefix = prefix;
    }
  }

  /** The directories searched, in order. */
  public static List<Path> searchPath(Path given) {
    List<Path> dirs = new ArrayList<>();
    if (given != null) {
      dirs.add(given);
    }
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      dirs.add(Path.of(env));
    }
    dirs.add(DEBIAN_DIR);
    return dirs;
  }

  /** The directory holding the files, or empty when none does. */
  public static java.util.Optional<Path> locate(Path given) {
    return locate(given, System.getenv(ENV));
  }

  /**
   * {@link #locate(Path)} with the variable's value given. The variable is an explicit choice:
   * when it is set and the directory it names is missing or lacks the files, that is an error
   * naming the variable, never a silent fall back to the installed copy.
   */
  static java.util.Optional<Path> locate(Path given, String env) {
    if (given != null && holdsFiles(given)) {
      return java.util.Optional.of(given);
    }
    if (env != null && !env.isBlank()) {
      Path dir = Path.of(env);
      if (!Files.isDirectory(dir)) {
        throw PmodelException.badInput(ENV + "=" + env + ": no such directory; point it at a"
            + " directory holding train-images-idx3-ubyte.gz and t10k-images-idx3-ubyte.gz,"
            + " or unset it to use " + DEBIAN_DIR);
      }
      if (!holdsFiles(dir)) {
        throw PmodelException.badInput(ENV + "=" + env + ": the directory holds no"
            + " train-images-idx3-ubyte(.gz) and t10k-images-idx3-ubyte(.gz); point it at"
            + " Fashion-MNIST's files, or unset it to use " + DEBIAN_DIR);
      }
      return java.util.Optional.of(dir);
    }
    return holdsFiles(DEBIAN_DIR) ? java.util.Optional.of(DEBIAN_DIR)
        : java.util.Optional.empty();
  }

  private static boolean holdsFiles(Path dir) {
    return find(dir, Split.TRAIN.prefix + "-images-idx3-ubyte") != null
        && find(dir, Split.TEST.prefix + "-images-idx3-ubyte") != null;
  }

  /** Reads a split with its labels. */
  public static Dataset read(Split split, Path given) {
    Path dir = locate(given).orElseThrow(() -> PmodelException.badInput(
        "Fashion-MNIST was not found in " + searchPath(given) + "; install it with"
        + " 'apt-get install dataset-fashion-mnist', or give --data-dir DIR (or set " + ENV
        + ") for a directory holding train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,"
        + " t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz"));
    Path images = find(dir, split.prefix + "-images-idx3-ubyte");
    Path labels = find(dir, split.prefix + "-labels-idx1-ubyte");
    Dataset data = IdxData.read(images);
    if (labels == null) {
      return data;
    }
    return data.withMetadata(IdxData.readLabels(labels, data.rows(), "label", CLASSES));
  }

  /** Reads a split of the subset shipped inside pmodel, with its labels. */
  public static Dataset readSubset(Split split) {
    return read(split, subsetDirectory());
  }

  /** The shipped subset's files, copied once per run to a temporary directory for the reader. */
  private static synchronized Path subsetDirectory() {
    if (subsetDir != null) {
      return subsetDir;
    }
    try {
      Path dir = Files.createTempDirectory("pmodel-fashion-mnist-subset-");
      dir.toFile().deleteOnExit();
      for (Split s : Split.values()) {
        for (String kind : new String[] {"-images-idx3-ubyte.gz", "-labels-idx1-ubyte.gz"}) {
          String name = s.prefix + kind;
          try (InputStream in = FashionMnist.class.getResourceAsStream(SUBSET_RESOURCE + name)) {
            if (in == null) {
              throw PmodelException.failure("the Fashion-MNIST subset resource " + name
                  + " is missing from pmodel's api module", null);
            }
            Path target = dir.resolve(name);
            Files.copy(in, target);
            target.toFile().deleteOnExit();
          }
        }
      }
      subsetDir = dir;
      return dir;
    } catch (IOException e) {
      throw PmodelException.failure("cannot unpack the Fashion-MNIST subset: " + e.getMessage(),
          e);
    }
  }

  private static Path find(Path dir, String stem) {
    for (String name : new String[] {stem + ".gz", stem}) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }
}
