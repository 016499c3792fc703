package pmodel.api.spi;

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

  /** Counts the data in {@code context.threads()} partitions, merges them and builds the model. */
  @Override
  default GenerativeModel fit(Dataset data, Parameters params, FitContext context) {
    ColumnRanges ranges = ColumnRanges.of(data);
    Statistics total = Parallel.reduce(data.rows(), context.threads(), 1 << 12,
        (from, to) -> {
          context.checkCancelled();
          Statistics s = newStatistics(data.schema(), params, ranges);
          s.add(data, from, to);
          return s;
        },
        (a, b) -> {
          a.merge(b);
          return a;
        });
    context.progress().onProgress(new Progress("counting", data.rows(), data.rows(),
        java.util.Map.of()));
    return fromStatistics(total, params);
  }
}
