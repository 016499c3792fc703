package pmodel.api.spi;

import pmodel.api.data.Dataset;

/**
 * Mergeable sufficient statistics of a {@link CountingProvider}: counts over some rows. Adding
 * rows in any partition and merging in any order gives the same result.
 *
 * <p>Statistics whose provider says {@link CountingProvider#portableStatistics()} can also be
 * written as typed named values ({@link #write}) and read back on another machine
 * ({@link CountingProvider#readStatistics}), so that partitions counted by a distributed engine
 * merge exactly; {@code StatisticsBytes} (host module runtime) turns them into bytes and back.
 */
public interface Statistics {
  /** Counts rows [from, to) of {@code data}. */
  void add(Dataset data, int from, int to);

  /** Adds another partition's counts (from the same provider, schema and parameters) to these. */
  void merge(Statistics other);

  /** The number of rows counted. */
  long rows();

  /**
   * Writes these counts as typed named values, so that {@link CountingProvider#readStatistics}
   * gives statistics that merge and build models exactly as these do. Only providers whose
   * {@link CountingProvider#portableStatistics()} is true implement it; by default it throws
   * {@link UnsupportedOperationException}.
   */
  default void write(StateWriter out) {
    throw new UnsupportedOperationException("these statistics cannot be written ("
        + getClass().getName() + ")");
  }
}
