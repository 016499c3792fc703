package pmodel.data.io;

import java.nio.file.Path;
import java.util.Set;
import pmodel.api.data.Schema;

/**
 * How to read a data SOURCE.
 *
 * @param schema the schema to read against (levels must be known to it), or null to infer one
 *     from the data: every column categorical with its levels sorted, except {@code continuous}
 * @param continuous the CSV columns to read as continuous when inferring a schema
 * @param dataDir where built-in data sets look for their files first (e.g. Fashion-MNIST), or null
 */
public record ReadOptions(Schema schema, Set<String> continuous, Path dataDir) {
  public ReadOptions {
    continuous = continuous == null ? Set.of() : Set.copyOf(continuous);
  }

  /** Infer the schema, no continuous columns, default data directories. */
  public static ReadOptions defaults() {
    return new ReadOptions(null, Set.of(), null);
  }

  /** Read against a known schema (e.g. a model's). */
  public static ReadOptions withSchema(Schema schema) {
    return new ReadOptions(schema, Set.of(), null);
  }

  public ReadOptions withDataDir(Path dir) {
    return new ReadOptions(schema, continuous, dir);
  }

  public ReadOptions withSchemaOf(Schema s) {
    return new ReadOptions(s, continuous, dataDir);
  }
}
