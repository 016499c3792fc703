package pmodel.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import pmodel.api.GenerativeModel;
import pmodel.api.error.PmodelException;
import pmodel.api.data.ColumnRanges;
import pmodel.api.data.Schema;
import pmodel.runtime.ModelFiles;
import pmodel.runtime.Provenance;
import pmodel.runtime.SchemaFiles;
import pmodel.runtime.StatisticsBytes;
import pmodel.api.spi.CountingProvider;
import pmodel.api.spi.ModelProvider;
import pmodel.api.params.Parameters;
import pmodel.api.spi.Statistics;
import pmodel.api.spi.Support;

/**
 * Fits a counting model on a Spark table: every partition is counted on its executor into the
 * model's mergeable statistics, which travel as bytes ({@link StatisticsBytes}) and are merged in
 * a tree ({@code treeReduce}) into exactly the statistics one machine counts on the same rows, so
 * the model is the one {@code pmodel fit} makes from them, count for count.
 *
 * <pre>{@code
 * SparkFit.Result r = SparkFit.fit(table, "naive-bayes", Map.of("alpha", "0.5"),
 *     SchemaMapping.inferred(), 42);
 * r.save(Path.of("nb.pm"), "s3://bucket/outfits");   // a model file the plain CLI reads
 * }</pre>
 *
 * <p>Two Spark jobs run: one aggregation finds the schema and the ranges of the continuous
 * features (counting models bin them over the whole data), then one pass counts. Providers are
 * found by id with ServiceLoader, on the driver and on every executor; only
 * {@link CountingProvider}s whose {@link CountingProvider#portableStatistics()} is true fit here.
 */
public final class SparkFit {
  private SparkFit() {
  }

  /**
   * A model fitted on Spark.
   *
   * @param model the fitted model
   * @param provider the provider that fitted it
   * @param scan the table's schema, ranges and rows
   * @param partitions the number of Spark partitions counted
   * @param seed the fit's seed (counting fits do not use it; it is recorded)
   */
  public record Result(GenerativeModel model, ModelProvider provider, TableScan scan,
      int partitions, long seed) {
    /**
     * Where the model came from. The data fingerprint is not computed: it hashes rows in order
     * on one machine, which a distributed fit does not do.
     */
    public Provenance provenance(String source) {
      return new Provenance(scan.rows(), "unavailable (fitted on Spark)", source, seed,
          partitions, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
          ModelFiles.pmodelVersion());
    }

    /** Writes the model file (atomically), with {@code source} as its data source. */
    public void save(Path file, String source) {
      ModelFiles.save(file, model, provider, provenance(source));
    }
  }

  /** Fits the model {@code modelId} with these hyperparameters on the rows of {@code table}. */
  public static Result fit(Dataset<Row> table, String modelId, Map<String, String> settings,
      SchemaMapping mapping, long seed) {
    ModelProvider provider = ExecutorSide.registry().get(modelId);
    Parameters params = Parameters.parse(modelId, provider.parameters(), settings);
    CountingProvider counting = countingProvider(provider);
    SchemaMapping.Prepared prepared = mapping.prepare(table);
    TableScan scan = prepared.scan();
    if (scan.rows() == 0) {
      throw PmodelException.badInput("the table has no rows; expected at least one");
    }
    Support support = provider.supports(scan.schema(), params);
    if (!support.supported()) {
      throw PmodelException.badInput("model '" + modelId + "' cannot model this table: "
          + support.reason());
    }
    Plan plan = new Plan(modelId, new HashMap<>(settings), scan, prepared.plans());
    byte[] total;
    int partitions;
    try {
      JavaRDD<byte[]> parts = prepared.columns().toJavaRDD()
          .mapPartitions(new CountPartition(plan));
      partitions = parts.getNumPartitions();
      total = parts.treeReduce(new Merge(plan));
    } catch (Exception e) { // Spark's job failures are checked exceptions in Java's eyes
      throw SparkErrors.unwrap(e);
    }
    Statistics statistics = plan.read(total, "the merged statistics");
    if (statistics.rows() != scan.rows()) {
      throw PmodelException.failure("the table changed between the two passes: " + scan.rows()
          + " rows when scanned, " + statistics.rows() + " when counted; fit a stable table"
          + " (written or cached)", null);
    }
    return new Result(counting.fromStatistics(statistics, params), provider, scan, partitions,
        seed);
  }

  /** The provider as one that fits on Spark, or a one-line reason why it cannot. */
  static CountingProvider countingProvider(ModelProvider provider) {
    if (!(provider instanceof CountingProvider c)) {
      throw PmodelException.badInput("model '" + provider.id() + "' cannot be fitted on Spark:"
          + " its fit is not a count of mergeable statistics; fit it on one machine with"
          + " 'pmodel fit'");
    }
    if (!c.portableStatistics()) {
      throw PmodelException.badInput("model '" + provider.id() + "' cannot be fitted on Spark:"
          + " its statistics cannot move between machines (the provider does not implement"
          + " Statistics.write and CountingProvider.readStatistics)");
    }
    return c;
  }

  /**
   * Everything an executor needs to count a partition, in plain serializable form: the
   * provider id and settings, the schema as JSON, the ranges and the column plans. The provider,
   * parameters and schema are found again on each JVM.
   */
  static final class Plan implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String modelId;
    private final HashMap<String, String> settings;
    private final String schemaJson;
    private final double[] min;
    private final double[] max;
    private final ArrayList<SchemaMapping.Plan> columns;
    private transient CountingProvider provider;
    private transient Parameters params;
    private transient Schema schema;
    private transient ColumnRanges ranges;

    Plan(String modelId, HashMap<String, String> settings, TableScan scan,
        List<SchemaMapping.Plan> columns) {
      this.modelId = modelId;
      this.settings = settings;
      this.schemaJson = SchemaFiles.toJson(scan.schema());
      int d = scan.schema().size();
      this.min = new double[d];
      this.max = new double[d];
      for (int f = 0; f < d; f++) {
        min[f] = scan.ranges().min(f);
        max[f] = scan.ranges().max(f);
      }
      this.columns = new ArrayList<>(columns);
    }

    private void resolve() {
      if (provider == null) {
        ModelProvider p = ExecutorSide.registry().get(modelId);
        params = Parameters.parse(modelId, p.parameters(), settings);
        schema = SchemaFiles.parse(schemaJson, "the schema sent to the executor");
        ranges = ColumnRanges.of(min, max);
        provider = countingProvider(p);
      }
    }

    Statistics newStatistics() {
      resolve();
      return provider.newStatistics(schema, params, ranges);
    }

    Rows.Decoder decoder() {
      resolve();
      return new Rows.Decoder(schema, columns);
    }

    byte[] write(Statistics s) {
      resolve();
      return StatisticsBytes.write(provider, s);
    }

    Statistics read(byte[] bytes, String source) {
      resolve();
      return StatisticsBytes.read(provider, schema, params, ranges, bytes,
          "statistics of model '" + modelId + "' (" + source + ")");
    }
  }

  /** Counts one partition's rows into statistics, given back as bytes. */
  static final class CountPartition implements FlatMapFunction<Iterator<Row>, byte[]> {
    private static final long serialVersionUID = 1L;
    private final Plan plan;

    CountPartition(Plan plan) {
      this.plan = plan;
    }

    @Override
    public Iterator<byte[]> call(Iterator<Row> rows) {
      Statistics s = plan.newStatistics();
      plan.decoder().forEachChunk(rows, chunk -> s.add(chunk, 0, chunk.rows()));
      return List.of(plan.write(s)).iterator();
    }
  }

  /** Merges two partitions' statistics (bytes in, bytes out). */
  static final class Merge implements Function2<byte[], byte[], byte[]> {
    private static final long serialVersionUID = 1L;
    private final Plan plan;

    Merge(Plan plan) {
      this.plan = plan;
    }

    @Override
    public byte[] call(byte[] a, byte[] b) {
      Statistics s = plan.read(a, "a partial merge");
      s.merge(plan.read(b, "a partial merge"));
      return plan.write(s);
    }
  }
}
