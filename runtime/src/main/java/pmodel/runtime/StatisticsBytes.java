package pmodel.runtime;

import pmodel.api.error.PmodelException;
import pmodel.api.data.ColumnRanges;
import pmodel.api.data.Schema;
import pmodel.runtime.internal.BinaryStateReader;
import pmodel.runtime.internal.BinaryStateWriter;
import pmodel.api.spi.CountingProvider;
import pmodel.api.params.Parameters;
import pmodel.api.spi.Statistics;

/**
 * Counting statistics as bytes, so that partitions counted on other machines (Spark executors)
 * reach the one that merges them: the provider's typed named values ({@link Statistics#write}) in
 * a compact little-endian form headed by the provider id. Like a model file it is data, never
 * Java serialization: nothing in it names a class, and reading checks every length before
 * allocating. It is a transport between processes of one pmodel version, not a file format to
 * keep.
 */
public final class StatisticsBytes {
  private StatisticsBytes() {
  }

  /** The byte form of {@code statistics}, which {@code provider} counted. */
  public static byte[] write(CountingProvider provider, Statistics statistics) {
    requirePortable(provider);
    BinaryStateWriter out = new BinaryStateWriter(provider.id());
    statistics.write(out);
    return out.toBytes();
  }

  /**
   * Reads statistics written by {@link #write} for this schema, these parameters and ranges.
   * Bytes that are cut short, damaged or written by another provider fail with a one-line
   * bad-input error that begins with {@code source}.
   */
  public static Statistics read(CountingProvider provider, Schema schema, Parameters params,
      ColumnRanges ranges, byte[] bytes, String source) {
    requirePortable(provider);
    BinaryStateReader in = new BinaryStateReader(bytes, schema, params, source);
    if (!in.providerId().equals(provider.id())) {
      throw in.corrupt("written by model '" + in.providerId() + "'; expected '" + provider.id()
          + "'");
    }
    Statistics s;
    try {
      s = provider.readStatistics(in, ranges);
    } catch (PmodelException e) {
      throw e;
    } catch (RuntimeException e) {
      throw PmodelException.badInput(source + ": model '" + provider.id()
          + "' could not read its statistics (" + e + ")", e);
    }
    if (s == null || s.rows() < 0) {
      throw in.corrupt("model '" + provider.id() + "' read no valid statistics");
    }
    return s;
  }

  private static void requirePortable(CountingProvider provider) {
    if (!provider.portableStatistics()) {
      throw PmodelException.badInput("model '" + provider.id() + "' cannot move its counts"
          + " between machines (its provider does not implement Statistics.write and"
          + " CountingProvider.readStatistics)");
    }
  }
}
