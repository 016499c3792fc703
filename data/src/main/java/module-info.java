/**
 * Data sets in and out: CSV (Jackson CSV, streamed in chunks for counting fits), IDX and PNG
 * readers and writers, atomic file replacement, the data sources a command line names
 * ({@code builtin:NAME[:train|:test][?rows=N&seed=S]} or a path), and the built-in data sets.
 * Host code: plugins never need it (their tests may use the built-in data).
 */
module pmodel.data {
  requires transitive pmodel.api;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.csv;
  requires java.desktop;

  exports pmodel.data;
  exports pmodel.data.io;
  exports pmodel.data.builtin;
}
