package pmodel.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import pmodel.api.ConditionalSampler;
import pmodel.api.GenerativeModel;
import pmodel.api.error.PmodelException;
import pmodel.api.data.Condition;
import pmodel.api.data.Dataset;
import pmodel.data.io.AtomicFiles;
import pmodel.data.io.CsvData;
import pmodel.data.io.IdxData;
import pmodel.runtime.ModelFiles;
import pmodel.data.io.PngImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code pmodel sample}: draw new rows from a saved model. */
@Command(name = "sample", description = "Draw new rows from a model: .csv, .idx, or .png (a grid,"
    + " for images).")
final class SampleCommand implements Callable<Integer> {
  /** The most images a PNG grid holds. */
  static final int MAX_PNG = 10_000;

  @ParentCommand
  Main main;

  @Mixin
  CommonOptions common;

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model file.")
  Path modelFile;

  @Option(names = "-n", required = true, paramLabel = "COUNT", description = "How many rows.")
  long count;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
      description = "Seed (default: ${DEFAULT-VALUE}); the same seed gives the same rows on any"
          + " number of threads.")
  long seed;

  @Option(names = "--given", paramLabel = "FEATURE=VALUE",
      description = "Fix a feature: sample from P(others | given).")
  Map<String, String> given = new LinkedHashMap<>();

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "Where to write the rows: .csv, .idx or .png (replaced atomically).")
  Path out;

  @Override
  public Integer call() {
    String format = format(out);
    AtomicFiles.checkWritable(out);
    AtomicFiles.checkNotInput("--out", out, "--model", modelFile);
    if (count < 1 || count > Integer.MAX_VALUE - 16) {
      throw PmodelException.badInput("-n " + count + " is out of range; expected 1.."
          + (Integer.MAX_VALUE - 16));
    }
    if (format.equals("png") && count > MAX_PNG) {
      throw PmodelException.badInput("-n " + count + " is too many for a PNG grid; expected at"
          + " most " + MAX_PNG);
    }
    int threads = common.threads();
    GenerativeModel model = ModelFiles.load(modelFile, main.registry()).model();
    if (format.equals("png") && !model.schema().isImage()) {
      throw PmodelException.badInput(out + ": a PNG grid needs an image model; this model's"
          + " data is a table: write .csv");
    }
    Dataset rows;
    if (given.isEmpty()) {
      rows = model.sample((int) count, seed, threads);
    } else {
      if (!(model instanceof ConditionalSampler cs)) {
        throw PmodelException.badInput("model '" + model.providerId()
            + "' cannot sample conditionally; --given needs the conditional-sampling capability");
      }
      rows = cs.sample((int) count, Condition.parse(model.schema(), given), seed, threads);
    }
    switch (format) {
      case "csv" -> CsvData.write(out, rows);
      case "idx" -> IdxData.write(out, rows);
      default -> PngImages.writeGrid(out, rows, (int) Math.ceil(Math.sqrt(count)), 2);
    }
    main.out().printf("wrote %d samples to %s%n", count, out);
    return 0;
  }

  static String format(Path out) {
    String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
    for (String ext : new String[] {"csv", "idx", "png"}) {
      if (name.endsWith("." + ext)) {
        return ext;
      }
    }
    throw PmodelException.badInput("--out " + out + ": unknown file type; expected .csv, .idx"
        + " or .png");
  }
}
