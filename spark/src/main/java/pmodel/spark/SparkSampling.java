package pmodel.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import pmodel.api.ConditionalSampler;
import pmodel.api.GenerativeModel;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Condition;
import pmodel.runtime.ModelFiles;

/**
 * Samples rows from any model into a Spark table, in parallel on the executors and the same for
 * the same seed on any number of executors and partitions.
 *
 * <p>The rows are cut into fixed blocks of {@link #BLOCK} rows that depend only on their number;
 * block b is drawn by {@code model.sample(size, RandomStreams.mix(seed, b), 1)}, whose own blocks
 * then use the streams {@code RandomStreams.create(seed, b, i)}: the api's convention of one
 * random stream per fixed block, one level deeper. Partitions own contiguous runs of blocks, so
 * the table's rows, in order, do not depend on how many partitions or executors drew them. (They
 * are not the rows {@code pmodel sample} draws with the same seed, whose blocks are numbered
 * from one stream level only.)
 *
 * <p>The model travels to the executors as the bytes of its model file (a broadcast variable)
 * and is read there once per JVM; nothing is sent through Java serialization but those bytes.
 * Columns are strings (categorical), ints (integer levels) and doubles (continuous), see
 * {@link SchemaMapping#sparkSchema}.
 */
public final class SparkSampling {
  /** Rows per block; each block has its own random streams. */
  public static final int BLOCK = 1 << 16;

  private SparkSampling() {
  }

  /**
   * {@code rows} rows from the model in {@code modelFile}, conditionally on {@code given} values
   * (feature name to level or value; empty for none), in {@code partitions} partitions (0: Spark's
   * default parallelism).
   */
  public static Dataset<Row> sample(SparkSession spark, Path modelFile, long rows, long seed,
      Map<String, String> given, int partitions) {
    GenerativeModel model = ModelFiles.load(modelFile, ExecutorSide.registry()).model();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(modelFile);
    } catch (IOException e) {
      throw PmodelException.badInput("model file " + modelFile + " cannot be read: "
          + e.getMessage(), e);
    }
    return sample(spark, model, bytes, rows, seed, given, partitions);
  }

  /** As {@link #sample(SparkSession, Path, long, long, Map, int)}, for a model in memory. */
  public static Dataset<Row> sample(SparkSession spark, GenerativeModel model, long rows,
      long seed, Map<String, String> given, int partitions) {
    byte[] bytes;
    try {
      Path tmp = Files.createTempFile("pmodel-spark-", ".pm");
      try {
        ModelFiles.save(tmp, model, ExecutorSide.registry().get(model.providerId()), null);
        bytes = Files.readAllBytes(tmp);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw PmodelException.failure("cannot write the model for the executors: "
          + e.getMessage(), e);
    }
    return sample(spark, model, bytes, rows, seed, given, partitions);
  }

  private static Dataset<Row> sample(SparkSession spark, GenerativeModel model, byte[] bytes,
      long rows, long seed, Map<String, String> given, int partitions) {
    if (rows < 1) {
      throw PmodelException.badInput("-n " + rows + " is out of range; expected at least 1");
    }
    if (partitions < 0) {
      throw PmodelException.badInput("--partitions " + partitions + " is out of range;"
          + " expected at least 1 (or 0 for Spark's default)");
    }
    if (!given.isEmpty()) {
      if (!(model instanceof ConditionalSampler)) {
        throw PmodelException.badInput("model '" + model.providerId() + "' cannot sample"
            + " conditionally; --given needs the conditional-sampling capability");
      }
      Condition.parse(model.schema(), given);
    }
    long blocks = (rows + BLOCK - 1) / BLOCK;
    int parts = partitions == 0 ? spark.sparkContext().defaultParallelism() : partitions;
    parts = (int) Math.max(1, Math.min(parts, blocks));
    Broadcast<byte[]> file = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(bytes);
    return spark.range(0, blocks, 1, parts).flatMap(
        new SampleBlock(file, rows, seed, new HashMap<>(given)),
        Encoders.row(SchemaMapping.sparkSchema(model.schema())));
  }

  /** Draws one block of rows on an executor. */
  static final class SampleBlock implements FlatMapFunction<Long, Row> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<byte[]> file;
    private final long rows;
    private final long seed;
    private final HashMap<String, String> given;

    SampleBlock(Broadcast<byte[]> file, long rows, long seed, HashMap<String, String> given) {
      this.file = file;
      this.rows = rows;
      this.seed = seed;
      this.given = given;
    }

    @Override
    public Iterator<Row> call(Long block) {
      GenerativeModel model = ExecutorSide.model(file.value());
      long from = block * BLOCK;
      int n = (int) Math.min(BLOCK, rows - from);
      long blockSeed = RandomStreams.mix(seed, block);
      pmodel.api.data.Dataset data = given.isEmpty() ? model.sample(n, blockSeed, 1)
          : ((ConditionalSampler) model).sample(n, Condition.parse(model.schema(), given),
              blockSeed, 1);
      List<Row> out = new ArrayList<>(n);
      Rows.forEach(data, 0, n, out::add);
      return out.iterator();
    }
  }
}
