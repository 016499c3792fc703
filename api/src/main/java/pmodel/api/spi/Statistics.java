package pmodel.api.spi;

import pmodel.api.data.Dataset;

/**
 * Mergeable sufficient statistics of a {@link CountingProvider}: counts over some rows. Adding
 * rows in any partition and merging in any order gives the same result.
 */
public interface Statistics {
  /** Counts rows [from, to) of {@code data}. */
  void add(Dataset data, int from, int to);

  /** Adds another partition's counts (from the same provider, schema and parameters) to these. */
  void merge(Statistics other);

  /** The number of rows counted. */
  long rows();
}
