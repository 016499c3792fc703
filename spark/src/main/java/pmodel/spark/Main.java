package pmodel.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import pmodel.runtime.ModelRegistry;
import pmodel.api.error.PmodelException;
import pmodel.data.io.AtomicFiles;
import pmodel.runtime.SchemaFiles;
import pmodel.api.spi.CountingProvider;
import pmodel.api.spi.ModelProvider;

/**
 * The main class for {@code spark-submit}: {@code fit} and {@code sample} take the options of
 * {@code pmodel fit} and {@code pmodel sample}, with Parquet or CSV paths (files or directories
 * that Spark reads and writes) instead of local files, and run on the cluster the job was
 * submitted to.
 *
 * <pre>
 * spark-submit --class pmodel.spark.Main pmodel-spark-submit.jar \
 *     fit naive-bayes --data s3a://bucket/outfits.parquet --set alpha=0.5 --out nb.pm
 * spark-submit --class pmodel.spark.Main pmodel-spark-submit.jar \
 *     sample --model nb.pm -n 100000000 --seed 7 --out s3a://bucket/samples.parquet
 * </pre>
 */
@Command(name = "pmodel-spark",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Fit pmodel's counting models on Spark tables and sample any model into one.",
    subcommands = {Main.ModelsCommand.class, Main.FitCommand.class, Main.SampleCommand.class,
        CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:failure while running", "2:bad usage or bad input"})
public final class Main implements Runnable {
  @Option(names = "--debug", scope = ScopeType.INHERIT,
      description = "Print the Java stack trace of an error.")
  boolean debug;

  private final PrintWriter out;
  private final PrintWriter err;
  private SparkSession spark;
  private boolean startedSpark;

  Main(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  /**
   * The Spark session: the active one (in a test, or inside another job), or one built from the
   * configuration spark-submit gives (master, executors, ...).
   */
  SparkSession spark(String command) {
    if (spark == null) {
      SparkSession active = SparkSession.getActiveSession().isDefined()
          ? SparkSession.getActiveSession().get() : null;
      if (active == null && SparkSession.getDefaultSession().isDefined()) {
        active = SparkSession.getDefaultSession().get();
      }
      if (active != null) {
        spark = active;
      } else {
        try {
          spark = SparkSession.builder().appName("pmodel " + command).getOrCreate();
        } catch (Exception e) { // Spark's failures are checked exceptions in Java's eyes
          throw PmodelException.badInput("cannot start Spark: "
              + SparkErrors.firstLine(e.getMessage()) + " (run this jar with spark-submit,"
              + " which sets the master)", e);
        }
        startedSpark = true;
      }
    }
    return spark;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this),
        "a command is required: models, fit or sample");
  }

  /** The version string. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"pmodel-spark " + pmodel.runtime.ModelFiles.pmodelVersion()
          + " (model file format " + pmodel.runtime.ModelFiles.FORMAT_VERSION + ", provider API "
          + ModelProvider.API_VERSION + ")"};
    }
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = run(args, out, err);
    out.flush();
    err.flush();
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Runs the command line and returns the exit code (0, 1 or 2); a Spark session this run
   * started is stopped, one it found active is left running.
   */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    Main main = new Main(out, err);
    CommandLine cl = new CommandLine(main);
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler((ex, a) -> {
      CommandLine c = ex.getCommandLine();
      err.println("pmodel-spark: " + ex.getMessage().replace('\n', ' ') + " (see '"
          + c.getCommandSpec().qualifiedName() + " --help')");
      return PmodelException.BAD_INPUT;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      if (main.debug) {
        ex.printStackTrace(err);
      }
      RuntimeException e = SparkErrors.unwrap(ex);
      if (e instanceof PmodelException p) {
        err.println("pmodel-spark: " + p.getMessage());
        return p.exitCode();
      }
      err.println("pmodel-spark: failed: " + SparkErrors.firstLine(String.valueOf(e))
          + (main.debug ? "" : " (run again with --debug for the stack trace)"));
      return PmodelException.FAILURE;
    });
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError e) {
      err.println("pmodel-spark: out of memory; give the driver more memory"
          + " (spark-submit --driver-memory)");
      return PmodelException.FAILURE;
    } finally {
      if (main.startedSpark) {
        main.spark.stop();
      }
    }
  }

  /**
   * {@code --threads} of {@code pmodel fit}/{@code pmodel sample}, accepted so that a copied
   * command gets a reason rather than "unknown option": on Spark the executors set the
   * parallelism.
   */
  static void refuseThreads(Integer threads) {
    if (threads != null) {
      throw PmodelException.badInput("--threads does not apply on Spark: the executors' cores"
          + " set the parallelism (spark-submit --master local[N] or --executor-cores N)");
    }
  }

  /** csv or parquet: the option, else the path's ending. */
  static String format(String option, String path, String what) {
    if (option != null) {
      String f = option.toLowerCase(Locale.ROOT);
      if (!f.equals("csv") && !f.equals("parquet")) {
        throw PmodelException.badInput("--format " + option + " is unknown; expected csv or"
            + " parquet");
      }
      return f;
    }
    String p = path.toLowerCase(Locale.ROOT);
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.endsWith(".csv") || p.endsWith(".csv.gz") || p.endsWith(".csv.bz2")) {
      return "csv";
    }
    if (p.endsWith(".parquet")) {
      return "parquet";
    }
    throw PmodelException.badInput(what + " " + path + ": cannot tell the format from the name;"
        + " expected a path ending in .csv or .parquet, or --format csv|parquet");
  }

  /**
   * Reads a table: Parquet as it is typed; CSV with a header and every column a string (spaces
   * around values trimmed, malformed rows refused), as {@code pmodel fit} reads a CSV file.
   */
  static Dataset<Row> read(SparkSession spark, String path, String format) {
    try {
      Dataset<Row> table = format.equals("parquet") ? spark.read().parquet(path)
          : spark.read().option("header", "true").option("inferSchema", "false")
              .option("ignoreLeadingWhiteSpace", "true")
              .option("ignoreTrailingWhiteSpace", "true")
              .option("mode", "FAILFAST").csv(path);
      return table;
    } catch (Exception e) {
      throw PmodelException.badInput(path + ": cannot be read as " + format + ": "
          + SparkErrors.firstLine(e.getMessage()), e);
    }
  }

  /** {@code models}: the models in this jar, and which of them fit on Spark. */
  @Command(name = "models", description = "List the installed models and whether each fits on"
      + " Spark (counting models with portable statistics) or only samples there.")
  static final class ModelsCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Override
    public Integer call() {
      ModelRegistry registry = ExecutorSide.registry();
      for (String problem : registry.problems()) {
        main.err.println("pmodel-spark: warning: " + problem);
      }
      for (ModelProvider p : registry.providers()) {
        boolean fits = p instanceof CountingProvider c && c.portableStatistics();
        main.out.printf("%s (%s): %s%n  on Spark: %s%n", p.id(), p.family().id(),
            p.description(), fits ? "fit and sample" : "sample only (fit with 'pmodel fit')");
      }
      if (registry.providers().isEmpty()) {
        main.out.println("no models installed");
      }
      return 0;
    }
  }

  /** {@code fit}: fit a counting model on a table and write the model file. */
  @Command(name = "fit", description = "Fit a counting model on a Parquet or CSV table with Spark"
      + " and write it to a model file (the same file 'pmodel fit' writes for the same rows).")
  static final class FitCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The model id (see 'models').")
    String modelId;

    @Option(names = "--data", required = true, paramLabel = "PATH",
        description = "The table: a Parquet or CSV file or directory, on any file system Spark"
            + " reads (a CSV has a header row).")
    String data;

    @Option(names = "--format", paramLabel = "csv|parquet",
        description = "The table's format (default: from the path's ending).")
    String format;

    @Option(names = "--set", paramLabel = "NAME=VALUE",
        description = "A hyperparameter (see 'pmodel models').")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
        description = "Seed of all randomness (default: ${DEFAULT-VALUE}); recorded.")
    long seed;

    @Option(names = "--schema", paramLabel = "FILE",
        description = "A JSON schema file (levels, continuous features) to read the table with.")
    Path schemaFile;

    @Option(names = "--continuous", split = ",", paramLabel = "COLUMN",
        description = "Columns to read as continuous when no schema is given (double, float"
            + " and decimal columns always are).")
    List<String> continuous = List.of();

    @Option(names = "--integer-levels", split = ",", paramLabel = "COLUMN",
        description = "Integer columns to read as levels 0..max instead of categorical.")
    List<String> integerLevels = List.of();

    @Option(names = "--out", required = true, paramLabel = "FILE",
        description = "The model file to write on the driver (replaced atomically).")
    Path out;

    @Option(names = "--threads", paramLabel = "N", hidden = true,
        description = "Refused: the executors set the parallelism.")
    Integer threads;

    @Override
    public Integer call() {
      refuseThreads(threads);
      AtomicFiles.checkWritable(out);
      SchemaMapping mapping = new SchemaMapping(
          schemaFile == null ? null : SchemaFiles.read(schemaFile), Set.copyOf(continuous),
          Set.copyOf(integerLevels));
      ModelProvider provider = ExecutorSide.registry().get(modelId);
      pmodel.api.params.Parameters.parse(modelId, provider.parameters(), settings);
      SparkFit.countingProvider(provider);
      String fmt = Main.format(format, data, "--data");
      SparkSession spark = main.spark("fit");
      long start = System.nanoTime();
      SparkFit.Result r;
      try {
        r = SparkFit.fit(read(spark, data, fmt), modelId, settings, mapping, seed);
      } catch (Exception e) { // Spark's job failures are checked exceptions in Java's eyes
        RuntimeException u = SparkErrors.unwrap(e);
        if (u instanceof PmodelException p && !p.getMessage().startsWith(data + ": ")) {
          throw new PmodelException(p.exitCode(), data + ": " + p.getMessage(), e);
        }
        throw u;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      r.save(out, data);
      main.out.printf("fitted %s on %d rows of %d features in %.2f s (%d Spark partitions): %s"
          + " free parameters; wrote %s%n", modelId, r.scan().rows(), r.scan().schema().size(),
          seconds, r.partitions(), r.model().freeParameters(), out);
      return 0;
    }
  }

  /** {@code sample}: draw rows from a model into a Parquet or CSV table. */
  @Command(name = "sample", description = "Draw rows from a model into a Parquet or CSV table,"
      + " in parallel on the executors; the same seed gives the same rows on any number of"
      + " executors and partitions.")
  static final class SampleCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--model", required = true, paramLabel = "FILE",
        description = "A model file on the driver.")
    Path modelFile;

    @Option(names = "-n", required = true, paramLabel = "COUNT", description = "How many rows.")
    long count;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
        description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--given", paramLabel = "FEATURE=VALUE",
        description = "Fix a feature: sample from P(others | given).")
    Map<String, String> given = new LinkedHashMap<>();

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
        description = "Partitions of the output (default: Spark's default parallelism). The"
            + " rows do not depend on it.")
    int partitions;

    @Option(names = "--format", paramLabel = "csv|parquet",
        description = "The output format (default: from the path's ending).")
    String format;

    @Option(names = "--out", required = true, paramLabel = "PATH",
        description = "The directory to write (Spark's part files; replaced when complete).")
    String out;

    @Option(names = "--threads", paramLabel = "N", hidden = true,
        description = "Refused: the executors set the parallelism.")
    Integer threads;

    @Override
    public Integer call() {
      refuseThreads(threads);
      String fmt = Main.format(format, out, "--out");
      SparkSession spark = main.spark("sample");
      Dataset<Row> rows = SparkSampling.sample(spark, modelFile, count, seed, given, partitions);
      write(spark, rows, out, fmt);
      main.out.printf("wrote %d samples to %s%n", count, out);
      return 0;
    }
  }

  /**
   * Writes a table to a temporary directory beside {@code out}, then renames it into place
   * (the old directory, if any, is renamed away first and deleted after): a reader finds the old
   * table or the new one, never a partial one (on file systems whose rename is atomic, such as
   * HDFS and local disks; object stores copy instead).
   */
  static void write(SparkSession spark, Dataset<Row> rows, String out, String format) {
    try {
      org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(out);
      FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
      target = fs.makeQualified(target);
      String tag = UUID.randomUUID().toString().substring(0, 8);
      org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(target.getParent(),
          "." + target.getName() + ".tmp-" + tag);
      try {
        rows.write().format(format).option("header", "true").save(tmp.toString());
      } catch (Exception e) { // Spark's job failures are checked exceptions in Java's eyes
        fs.delete(tmp, true);
        throw SparkErrors.unwrap(e);
      }
      if (fs.exists(target)) {
        org.apache.hadoop.fs.Path old = new org.apache.hadoop.fs.Path(target.getParent(),
            "." + target.getName() + ".old-" + tag);
        rename(fs, target, old);
        rename(fs, tmp, target);
        fs.delete(old, true);
      } else {
        rename(fs, tmp, target);
      }
    } catch (IOException e) {
      throw PmodelException.failure("cannot write " + out + ": " + e.getMessage(), e);
    }
  }

  private static void rename(FileSystem fs, org.apache.hadoop.fs.Path from,
      org.apache.hadoop.fs.Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("cannot rename " + from + " to " + to);
    }
  }
}
