package pmodel.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.Parallel;
import pmodel.runtime.SchemaFiles;
import pmodel.data.io.ReadOptions;
import picocli.CommandLine.Option;

/** Options shared by the commands that read data. */
final class CommonOptions {
  @Option(names = "--threads", paramLabel = "N",
      description = "Threads to use (default: all ${sys:pmodel.cores} cores). Results do not"
          + " depend on it.")
  Integer threads;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where built-in data sets look for their files first (Fashion-MNIST).")
  Path dataDir;

  /** How to read a CSV to fit on: a schema file, or continuous columns to infer one. */
  static final class SchemaOptions {
    @Option(names = "--schema", paramLabel = "FILE",
        description = "A JSON schema file for a CSV (levels, continuous features).")
    Path schemaFile;

    @Option(names = "--continuous", split = ",", paramLabel = "COLUMN",
        description = "CSV columns to read as continuous when no schema is given.")
    List<String> continuous;

    ReadOptions readOptions(Path dataDir) {
      return CommonOptions.readOptions(schemaFile, continuous, dataDir);
    }
  }

  /** How to read a SOURCE to fit on: a schema file, or continuous columns to infer one. */
  static ReadOptions readOptions(Path schemaFile, List<String> continuous, Path dataDir) {
    if (schemaFile != null && continuous != null && !continuous.isEmpty()) {
      throw PmodelException.badInput("--schema and --continuous cannot be combined: declare"
          + " continuous columns in the schema file");
    }
    return new ReadOptions(schemaFile == null ? null : SchemaFiles.read(schemaFile),
        continuous == null ? Set.of() : Set.copyOf(continuous), dataDir);
  }

  int threads() {
    int t = threads == null ? Parallel.defaultThreads() : threads;
    if (t < 1 || t > 4096) {
      throw PmodelException.badInput("--threads " + t + " is out of range; expected 1..4096");
    }
    return t;
  }

  static {
    System.setProperty("pmodel.cores", Integer.toString(Parallel.defaultThreads()));
  }
}
