package pmodel.spark;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import pmodel.api.error.PmodelException;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Feature;
import pmodel.api.data.Schema;

/**
 * Conversions between Spark rows and pmodel's column-major datasets: prepared table rows into
 * chunks of primitive columns (for counting), and dataset rows into Spark rows (for sampling).
 */
final class Rows {
  /** Rows per chunk handed to a model's statistics. */
  static final int CHUNK = 1 << 16;

  private Rows() {
  }

  /** Hands rows [from, to) of {@code data} to {@code sink} as Spark rows. */
  static void forEach(Dataset data, int from, int to, Consumer<Row> sink) {
    Schema schema = data.schema();
    int d = schema.size();
    DiscreteFeature[] discrete = new DiscreteFeature[d];
    for (int f = 0; f < d; f++) {
      Feature feature = schema.feature(f);
      discrete[f] = feature instanceof DiscreteFeature x ? x : null;
    }
    for (int i = from; i < to; i++) {
      Object[] values = new Object[d];
      for (int f = 0; f < d; f++) {
        DiscreteFeature x = discrete[f];
        if (x == null) {
          values[f] = data.value(i, f);
        } else if (x.hasLevelNames()) {
          values[f] = x.level(data.code(i, f));
        } else {
          values[f] = data.code(i, f);
        }
      }
      sink.accept(RowFactory.create(values));
    }
  }

  /**
   * Turns prepared table rows (one column per feature, as {@link SchemaMapping#prepare} makes
   * them) into the codes and values of a schema, checking every value.
   */
  static final class Decoder {
    private final Schema schema;
    private final SchemaMapping.Plan[] plans;
    private final DiscreteFeature[] discrete;
    private final Map<Long, Integer>[] integerLevels;

    @SuppressWarnings("unchecked")
    Decoder(Schema schema, List<SchemaMapping.Plan> plans) {
      this.schema = schema;
      this.plans = plans.toArray(new SchemaMapping.Plan[0]);
      int d = schema.size();
      this.discrete = new DiscreteFeature[d];
      this.integerLevels = new Map[d];
      for (int f = 0; f < d; f++) {
        if (schema.feature(f) instanceof DiscreteFeature x) {
          discrete[f] = x;
          if (x.hasLevelNames() && this.plans[f].source() == SchemaMapping.Source.INTEGRAL) {
            Map<Long, Integer> m = new HashMap<>(x.cardinality() * 2);
            for (int l = 0; l < x.cardinality(); l++) {
              try {
                m.put(Long.parseLong(x.level(l)), l);
              } catch (NumberFormatException e) {
                // a level that is not an integer matches no value of an integer column
              }
            }
            integerLevels[f] = m;
          }
        }
      }
    }

    /** Counts every row of {@code rows} in chunks of {@link #CHUNK} rows. */
    void forEachChunk(Iterator<Row> rows, Consumer<Dataset> sink) {
      int d = schema.size();
      while (rows.hasNext()) {
        Object[] columns = new Object[d];
        for (int f = 0; f < d; f++) {
          columns[f] = Dataset.newColumn(schema.feature(f), CHUNK);
        }
        int n = 0;
        while (n < CHUNK && rows.hasNext()) {
          Row row = rows.next();
          for (int f = 0; f < d; f++) {
            Object v = row.get(f);
            if (v == null) {
              throw PmodelException.badInput("column '" + plans[f].name() + "' holds a missing"
                  + " (null) value; missing values are not supported: filter or fill them"
                  + " first");
            }
            Object col = columns[f];
            if (col instanceof double[] a) {
              a[n] = (Double) v;
            } else if (col instanceof byte[] b) {
              b[n] = (byte) code(f, v);
            } else {
              ((int[]) col)[n] = code(f, v);
            }
          }
          n++;
        }
        if (n < CHUNK) {
          for (int f = 0; f < d; f++) {
            Object c = columns[f];
            columns[f] = c instanceof double[] a ? java.util.Arrays.copyOf(a, n)
                : c instanceof byte[] b ? java.util.Arrays.copyOf(b, n)
                : java.util.Arrays.copyOf((int[]) c, n);
          }
        }
        sink.accept(Dataset.of(schema, n, columns));
      }
    }

    private int code(int f, Object v) {
      DiscreteFeature x = discrete[f];
      int code;
      Map<Long, Integer> levels = integerLevels[f];
      if (levels != null) {
        Integer c = levels.get(((Number) v).longValue());
        code = c == null ? -1 : c;
      } else if (v instanceof Number n && !x.hasLevelNames()) {
        long k = n.longValue();
        code = k >= 0 && k < x.cardinality() ? (int) k : -1;
      } else {
        code = x.code(v.toString());
      }
      if (code < 0) {
        throw PmodelException.badInput("column '" + plans[f].name() + "': unknown level '" + v
            + "'; expected " + x.describeLevels());
      }
      return code;
    }
  }
}
