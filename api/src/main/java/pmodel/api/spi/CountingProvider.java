package pmodel.api.spi;

import pmodel.api.params.Parameters;

import java.util.function.Consumer;
import pmodel.api.GenerativeModel;
import pmodel.api.compute.Parallel;
import pmodel.api.data.ColumnRanges;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;

/**
 * A provider whose fit is a function of mergeable sufficient statistics (counts): partitions of
 * the data are counted separately and merged, so fitting uses every core, can stream data larger
 * than memory, and can run on a distributed engine. The merged result is exactly what one pass
 * over all rows gives.
 */
public interface CountingProvider extends ModelProvider {
  /**
   * Empty statistics for this schema. {@code ranges} holds the minimum and maximum of every
   * continuous feature over all the data that will be added (counting models bin them).
   */
  Statistics newStatistics(Schema schema, Parameters params, ColumnRanges ranges);

  /** The model these statistics determine. */
  GenerativeModel fromStatistics(Statistics statistics, Parameters params);

  /**
   * True when this provider's statistics can cross a process boundary: {@link Statistics#write}
   * and {@link #readStatistics} are implemented. A distributed engine (pmodel's Spark module)
   * fits only providers that say so; the conformance kit checks them. Default: false.
   */
  default boolean portableStatistics() {
    return false;
  }

  /**
   * Reads statistics that {@link Statistics#write} wrote for {@code in.schema()},
   * {@code in.hyperparameters()} and these {@code ranges}, checking them as a model's
   * {@link #read} checks its state: damaged values fail with {@link StateReader#corrupt}. The
   * result merges with {@link #newStatistics} of the same schema, parameters and ranges. Only
   * providers whose {@link #portableStatistics()} is true implement it; by default it throws
   * {@link UnsupportedOperationException}.
   */
  default Statistics readStatistics(StateReader in, ColumnRanges ranges) {
    throw new UnsupportedOperationException("model '" + id() + "' cannot read statistics");
  }

  /** Counts the data in {@code context.threads()} partitions, merges them and builds the model. */
  @Override
  default GenerativeModel fit(Dataset data, Parameters params, FitContext context) {
    return fit(data.schema(), ColumnRanges.of(data), sink -> sink.accept(data), params, context);
  }

  /** Data that arrives in chunks, e.g. read from a file larger than memory. */
  @FunctionalInterface
  interface Chunks {
    /** Hands every chunk to {@code sink}, in order. */
    void forEach(Consumer<Dataset> sink);
  }

  /**
   * Fits on data that arrives in chunks of one schema: each chunk is counted on every thread and
   * merged into the total, so memory holds one chunk and the statistics, never the whole data.
   * {@code ranges} must cover every chunk's continuous values (a first pass computes them).
   */
  default GenerativeModel fit(Schema schema, ColumnRanges ranges, Chunks chunks,
      Parameters params, FitContext context) {
    Statistics total = newStatistics(schema, params, ranges);
    chunks.forEach(chunk -> {
      context.checkCancelled();
      Statistics part = Parallel.reduce(chunk.rows(), context.threads(), 1 << 12,
          (from, to) -> {
            Statistics s = newStatistics(schema, params, ranges);
            s.add(chunk, from, to);
            return s;
          },
          (a, b) -> {
            a.merge(b);
            return a;
          });
      total.merge(part);
    });
    return fromStatistics(total, params);
  }
}
