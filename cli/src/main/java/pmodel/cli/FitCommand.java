package pmodel.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import pmodel.api.GenerativeModel;
import pmodel.api.PmodelException;
import pmodel.api.data.Dataset;
import pmodel.api.io.AtomicFiles;
import pmodel.api.io.DataSources;
import pmodel.api.io.ModelFiles;
import pmodel.api.io.Provenance;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.ModelProvider;
import pmodel.api.spi.Parameters;
import pmodel.api.spi.Support;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code pmodel fit}: fit a model on data and save it. */
@Command(name = "fit", description = "Fit a model on data and write it to a model file.")
final class FitCommand implements Callable<Integer> {
  @ParentCommand
  Main main;

  @Mixin
  CommonOptions common;

  @picocli.CommandLine.Parameters(index = "0", paramLabel = "MODEL", description = "The model id (see 'pmodel"
      + " models').")
  String modelId;

  @Option(names = "--data", required = true, paramLabel = "SOURCE",
      description = "A CSV or IDX file, or builtin:outfits?rows=N&seed=S,"
          + " builtin:fashion-mnist:train, builtin:fashion-mnist:test.")
  String data;

  @Option(names = "--set", paramLabel = "NAME=VALUE",
      description = "A hyperparameter (see 'pmodel models').")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
      description = "Seed of all randomness (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "The model file to write (replaced atomically).")
  Path out;

  @Mixin
  CommonOptions.SchemaOptions schema = new CommonOptions.SchemaOptions();

  @Override
  public Integer call() {
    ModelProvider provider = main.registry().get(modelId);
    AtomicFiles.checkWritable(out);
    Parameters params = Parameters.parse(modelId, provider.parameters(), settings);
    int threads = common.threads();
    Dataset dataset = DataSources.read(data,
        schema.readOptions(common.dataDir));
    if (dataset.rows() == 0) {
      throw PmodelException.badInput(data + ": no data rows; expected at least one");
    }
    Support support = provider.supports(dataset.schema(), params);
    if (!support.supported()) {
      throw PmodelException.badInput("model '" + modelId + "' cannot model " + data + ": "
          + support.reason());
    }
    Progress progress = Progress.forConsole(main.err());
    long start = System.nanoTime();
    GenerativeModel model = provider.fit(dataset, params,
        new FitContext(seed, threads, progress, null));
    progress.finish();
    double seconds = (System.nanoTime() - start) / 1e9;
    Provenance provenance = new Provenance(dataset.rows(), dataset.fingerprint(), data, seed,
        threads, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
        ModelFiles.pmodelVersion());
    ModelFiles.save(out, model, provider, provenance);
    main.out().printf("fitted %s on %d rows of %d features in %.2f s: %s free parameters;"
        + " wrote %s%n", modelId, dataset.rows(), dataset.schema().size(), seconds,
        Format.count(model.freeParameters()), out);
    return 0;
  }
}
