package pmodel.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import pmodel.api.GenerativeModel;
import pmodel.api.error.PmodelException;
import pmodel.api.data.DataFingerprint;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;
import pmodel.data.io.AtomicFiles;
import pmodel.data.io.CsvData;
import pmodel.data.DataSources;
import pmodel.runtime.ModelFiles;
import pmodel.runtime.Provenance;
import pmodel.data.io.ReadOptions;
import pmodel.api.spi.CountingProvider;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.ModelProvider;
import pmodel.api.params.Parameters;
import pmodel.api.spi.Support;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code pmodel fit}: fit a model on data and save it. */
@Command(name = "fit", description = "Fit a model on data and write it to a model file.")
final class FitCommand implements Callable<Integer> {
  /** Rows per chunk when a counting model streams a CSV file (a multiple of the fingerprint block). */
  static final int STREAM_CHUNK = 4 * DataFingerprint.BLOCK;

  @ParentCommand
  Main main;

  @Mixin
  CommonOptions common;

  @picocli.CommandLine.Parameters(index = "0", paramLabel = "MODEL", description = "The model id (see 'pmodel"
      + " models').")
  String modelId;

  @Option(names = "--data", required = true, paramLabel = "SOURCE",
      description = "A CSV or IDX file, or a built-in source: builtin:outfits, builtin:world,"
          + " builtin:fashion-mnist:train|test, builtin:fashion-mnist-subset:train|test"
          + " (each with ?rows=N&seed=S).")
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
  CommonOptions.SchemaOptions schemaOptions = new CommonOptions.SchemaOptions();

  @Override
  public Integer call() {
    ModelProvider provider = main.registry().get(modelId);
    AtomicFiles.checkWritable(out);
    AtomicFiles.checkNotInput("--out", out, "--data", AtomicFiles.sourceFile(data));
    AtomicFiles.checkNotInput("--out", out, "--schema", schemaOptions.schemaFile);
    Parameters params = Parameters.parse(modelId, provider.parameters(), settings);
    int threads = common.threads();
    ReadOptions options = schemaOptions.readOptions(common.dataDir);
    Progress progress = Progress.forConsole(main.err());
    FitContext context = new FitContext(seed, threads, progress, null);
    long start = System.nanoTime();
    GenerativeModel model;
    Schema schema;
    long rows;
    String fingerprint;
    if (provider instanceof CountingProvider counting && DataSources.isCsvFile(data)) {
      // Counting models stream a CSV file: one pass finds the schema and ranges, a second counts
      // chunks; memory holds one chunk and the counts, never the whole file.
      Path path = Path.of(data);
      CsvData.Scan scan = CsvData.scan(path, options);
      schema = scan.schema();
      rows = scan.rows();
      checkFit(provider, params, schema, rows);
      DataFingerprint fp = new DataFingerprint(schema);
      long[] done = {0};
      model = counting.fit(schema, scan.ranges(), sink -> CsvData.readChunks(path, schema,
          STREAM_CHUNK, chunk -> {
            fp.add(chunk);
            sink.accept(chunk);
            done[0] += chunk.rows();
            progress.onProgress(new pmodel.api.spi.Progress("reading", done[0], rows,
                java.util.Map.of()));
          }), params, context);
      fingerprint = fp.finish();
    } else {
      Dataset dataset = DataSources.read(data, options);
      schema = dataset.schema();
      rows = dataset.rows();
      checkFit(provider, params, schema, rows);
      model = provider.fit(dataset, params, context);
      fingerprint = dataset.fingerprint();
    }
    progress.finish();
    double seconds = (System.nanoTime() - start) / 1e9;
    Provenance provenance = new Provenance(rows, fingerprint, data, seed, threads,
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), ModelFiles.pmodelVersion());
    ModelFiles.save(out, model, provider, provenance);
    main.out().printf("fitted %s on %d rows of %d features in %.2f s: %s free parameters;"
        + " wrote %s%n", modelId, rows, schema.size(), seconds,
        Format.count(model.freeParameters()), out);
    // what the model says went wrong in its own fit (a GAN whose samples collapsed, say)
    for (String line : model.describe(20)) {
      if (line.startsWith("WARNING")) {
        main.out().println(line);
      }
    }
    return 0;
  }

  private void checkFit(ModelProvider provider, Parameters params, Schema schema, long rows) {
    if (rows == 0) {
      throw PmodelException.badInput(data + ": no data rows; expected at least one");
    }
    Support support = provider.supports(schema, params);
    if (!support.supported()) {
      throw PmodelException.badInput("model '" + modelId + "' cannot model " + data + ": "
          + support.reason());
    }
  }
}
