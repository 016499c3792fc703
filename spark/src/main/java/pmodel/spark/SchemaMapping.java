package pmodel.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import pmodel.api.error.PmodelException;
import pmodel.api.data.ColumnRanges;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Feature;
import pmodel.api.data.Schema;
import pmodel.data.io.CsvData;

/**
 * How the columns of a Spark table become the features of a pmodel schema, and back.
 *
 * <p>Without a schema every column is a feature: string and boolean columns are categorical with
 * the levels found in the data, sorted as {@code pmodel fit} sorts a CSV file's levels (numerically
 * when all are integers); integer columns (tinyint, smallint, int, bigint) are categorical with
 * their decimal values as levels, or integer levels 0..max when named in
 * {@link #withIntegerLevels}; float, double and decimal columns are continuous, and so are string
 * or integer columns named in {@link #withContinuous} (strings are parsed as {@code pmodel fit}
 * parses a CSV file's continuous columns). So a table read from a CSV file with every column a
 * string maps to exactly the schema {@code pmodel fit} infers from that file. With a schema, its
 * features are taken by column name (other columns are ignored) and every value must fit it.
 * Nested types, maps, binary, dates and timestamps have no pmodel feature and are refused with
 * one line naming the column; so are missing (null) and non-finite values.
 *
 * <p>The other way, a pmodel schema becomes a Spark schema of string (categorical), int (integer
 * levels) and double (continuous) columns.
 *
 * @param schema the schema to read the table with, or null to infer one
 * @param continuous columns to read as continuous when the schema is inferred
 * @param integerLevels integer columns to read as integer levels 0..max when it is inferred
 */
public record SchemaMapping(Schema schema, Set<String> continuous, Set<String> integerLevels) {
  public SchemaMapping {
    continuous = Set.copyOf(continuous);
    integerLevels = Set.copyOf(integerLevels);
    if (schema != null && !(continuous.isEmpty() && integerLevels.isEmpty())) {
      throw PmodelException.badInput("a schema cannot be combined with --continuous or"
          + " --integer-levels: declare the features in the schema file");
    }
    for (String c : continuous) {
      if (integerLevels.contains(c)) {
        throw PmodelException.badInput("column '" + c + "' is named both continuous and"
            + " integer levels; expected one of them");
      }
    }
  }

  /** Infers the schema from the table's types and values. */
  public static SchemaMapping inferred() {
    return new SchemaMapping(null, Set.of(), Set.of());
  }

  /** Reads the table with this schema. */
  public static SchemaMapping of(Schema schema) {
    return new SchemaMapping(Objects.requireNonNull(schema, "schema"), Set.of(), Set.of());
  }

  /** This mapping with these columns read as continuous. */
  public SchemaMapping withContinuous(Collection<String> columns) {
    return new SchemaMapping(schema, new HashSet<>(columns), integerLevels);
  }

  /** This mapping with these integer columns read as integer levels 0..max. */
  public SchemaMapping withIntegerLevels(Collection<String> columns) {
    return new SchemaMapping(schema, continuous, new HashSet<>(columns));
  }

  /**
   * Aggregates the table once (on the executors) into its schema, the ranges of its continuous
   * features and its number of rows; refuses unmappable columns, missing and non-finite values.
   */
  public TableScan scan(Dataset<Row> table) {
    return prepare(table).scan();
  }

  /** The Spark schema of rows of a pmodel schema: string, int or double columns. */
  public static StructType sparkSchema(Schema schema) {
    StructField[] fields = new StructField[schema.size()];
    for (int f = 0; f < fields.length; f++) {
      Feature feature = schema.feature(f);
      DataType type = feature instanceof DiscreteFeature d
          ? (d.hasLevelNames() ? DataTypes.StringType : DataTypes.IntegerType)
          : DataTypes.DoubleType;
      fields[f] = new StructField(feature.name(), type, false, Metadata.empty());
    }
    return new StructType(fields);
  }

  /** A pmodel dataset as a Spark table (see {@link #sparkSchema}) in {@code partitions} parts. */
  public static Dataset<Row> toSpark(SparkSession spark, pmodel.api.data.Dataset data,
      int partitions) {
    List<Row> rows = new ArrayList<>(data.rows());
    Rows.forEach(data, 0, data.rows(), rows::add);
    return spark.createDataFrame(
        new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext())
            .parallelize(rows, partitions), sparkSchema(data.schema()));
  }

  // ---------------------------------------------------------------------------------------------

  /** The Java type of a column's values as the counting pass sees them. */
  enum Source { TEXT, INTEGRAL, BOOLEAN, REAL }

  /** What a column becomes. */
  enum Target { CATEGORICAL, INTEGER_LEVELS, CONTINUOUS }

  /** One feature's column, its values' type after preparation, and what it becomes. */
  record Plan(String name, Source source, Target target) implements java.io.Serializable {
  }

  /**
   * The table reduced to one prepared column per feature, in feature order: continuous columns
   * already cast (numbers) or parsed (strings) to double, so that the scan and the counting pass
   * see the very same values.
   */
  record Prepared(SchemaMapping mapping, Dataset<Row> columns, List<Plan> plans) {
    TableScan scan() {
      return mapping.aggregate(this);
    }
  }

  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static Source sourceOf(StructField field) {
    DataType t = field.dataType();
    if (t instanceof StringType) {
      return Source.TEXT;
    }
    if (t instanceof ByteType || t instanceof ShortType || t instanceof IntegerType
        || t instanceof LongType) {
      return Source.INTEGRAL;
    }
    if (t instanceof BooleanType) {
      return Source.BOOLEAN;
    }
    if (t instanceof FloatType || t instanceof DoubleType || t instanceof DecimalType) {
      return Source.REAL;
    }
    throw PmodelException.badInput("column '" + field.name() + "' has Spark type "
        + t.simpleString() + ", which no pmodel feature holds; expected string, boolean,"
        + " tinyint, smallint, int, bigint, float, double or decimal: select, flatten or cast it"
        + " first");
  }

  Prepared prepare(Dataset<Row> table) {
    StructType struct = table.schema();
    List<String> names = Arrays.asList(struct.fieldNames());
    List<StructField> fields = new ArrayList<>();
    if (schema == null) {
      for (String c : continuous) {
        requireColumn(names, c, "--continuous names");
      }
      for (String c : integerLevels) {
        requireColumn(names, c, "--integer-levels names");
      }
      fields.addAll(Arrays.asList(struct.fields()));
    } else {
      for (Feature f : schema.features()) {
        requireColumn(names, f.name(), "the schema names");
        fields.add(struct.apply(f.name()));
      }
    }
    if (fields.isEmpty()) {
      throw PmodelException.badInput("the table has no columns; expected at least one");
    }
    List<Plan> plans = new ArrayList<>();
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      StructField field = fields.get(i);
      Source source = sourceOf(field);
      Target target = schema == null ? inferredTarget(field, source)
          : givenTarget(field, source, schema.feature(i));
      Column c = col(quote(field.name()));
      if (target == Target.CONTINUOUS) {
        if (source == Source.TEXT) {
          c = org.apache.spark.sql.functions.udf(new ParseReal(field.name()),
              DataTypes.DoubleType).apply(c);
        } else {
          c = c.cast(DataTypes.DoubleType);
        }
        source = Source.REAL;
      }
      columns.add(c.as(field.name()));
      plans.add(new Plan(field.name(), source, target));
    }
    return new Prepared(this, table.select(columns.toArray(new Column[0])), List.copyOf(plans));
  }

  private static void requireColumn(List<String> names, String name, String who) {
    if (!names.contains(name)) {
      String list = String.join(", ", names);
      throw PmodelException.badInput(who + " column '" + name + "', which the table does not"
          + " have; columns: " + (list.length() > 120 ? list.substring(0, 120) + ", ..." : list));
    }
  }

  private Target inferredTarget(StructField field, Source source) {
    String name = field.name();
    if (continuous.contains(name)) {
      if (source == Source.BOOLEAN) {
        throw PmodelException.badInput("--continuous names column '" + name + "', which is"
            + " boolean; expected a number or string column");
      }
      return Target.CONTINUOUS;
    }
    if (integerLevels.contains(name)) {
      if (source != Source.INTEGRAL) {
        throw PmodelException.badInput("--integer-levels names column '" + name + "' of type "
            + field.dataType().simpleString() + "; expected an integer column");
      }
      return Target.INTEGER_LEVELS;
    }
    return source == Source.REAL ? Target.CONTINUOUS : Target.CATEGORICAL;
  }

  private static Target givenTarget(StructField field, Source source, Feature feature) {
    Target target = feature instanceof DiscreteFeature d
        ? (d.hasLevelNames() ? Target.CATEGORICAL : Target.INTEGER_LEVELS)
        : Target.CONTINUOUS;
    boolean ok = switch (target) {
      case CATEGORICAL -> source != Source.REAL;
      case INTEGER_LEVELS -> source == Source.INTEGRAL || source == Source.TEXT;
      case CONTINUOUS -> source != Source.BOOLEAN;
    };
    if (!ok) {
      throw PmodelException.badInput("column '" + field.name() + "' has Spark type "
          + field.dataType().simpleString() + ", but the schema's feature is " + feature
          + "; expected " + switch (target) {
            case CATEGORICAL -> "a string, integer or boolean column";
            case INTEGER_LEVELS -> "an integer or string column";
            case CONTINUOUS -> "a number or string column";
          });
    }
    return target;
  }

  /** One aggregation over the prepared columns: counts, levels, minima and maxima. */
  private TableScan aggregate(Prepared p) {
    List<Column> aggs = new ArrayList<>();
    List<Plan> plans = p.plans();
    // per feature: non-null count, then levels (categorical, inferred) or min, max (integer
    // levels, inferred; continuous), then the non-finite count (continuous)
    int[] at = new int[plans.size()];
    for (int f = 0; f < plans.size(); f++) {
      Plan plan = plans.get(f);
      Column c = col(quote(plan.name()));
      at[f] = aggs.size() + 1;
      aggs.add(count(c));
      switch (plan.target()) {
        case CATEGORICAL -> {
          if (schema == null) {
            aggs.add(collect_set(c));
          }
        }
        case INTEGER_LEVELS -> {
          if (schema == null) {
            aggs.add(min(c));
            aggs.add(max(c));
          }
        }
        case CONTINUOUS -> {
          aggs.add(min(c));
          aggs.add(max(c));
          aggs.add(sum(when(isnan(c).or(c.equalTo(lit(Double.POSITIVE_INFINITY)))
              .or(c.equalTo(lit(Double.NEGATIVE_INFINITY))), 1).otherwise(0)));
        }
        default -> throw new IllegalStateException();
      }
    }
    Row r;
    try {
      r = p.columns().agg(count(lit(1)), aggs.toArray(new Column[0])).first();
    } catch (Exception e) { // Spark's job failures are checked exceptions in Java's eyes
      throw SparkErrors.unwrap(e);
    }
    long rows = r.getLong(0);
    List<Feature> features = new ArrayList<>();
    double[] lo = new double[plans.size()];
    double[] hi = new double[plans.size()];
    Arrays.fill(lo, Double.NaN);
    Arrays.fill(hi, Double.NaN);
    for (int f = 0; f < plans.size(); f++) {
      Plan plan = plans.get(f);
      int i = at[f];
      long missing = rows - r.getLong(i);
      if (missing > 0) {
        throw PmodelException.badInput("column '" + plan.name() + "' has " + missing
            + " missing (null) values; missing values are not supported: filter or fill them"
            + " first");
      }
      switch (plan.target()) {
        case CATEGORICAL -> features.add(schema != null ? schema.feature(f)
            : categorical(plan.name(), r.getList(i + 1)));
        case INTEGER_LEVELS -> features.add(schema != null ? schema.feature(f)
            : integerLevels(plan.name(), r.isNullAt(i + 1) ? null : r.getAs(i + 1),
                r.isNullAt(i + 2) ? null : r.getAs(i + 2)));
        case CONTINUOUS -> {
          long bad = r.isNullAt(i + 3) ? 0 : r.getLong(i + 3);
          if (bad > 0) {
            throw PmodelException.badInput("column '" + plan.name() + "' has " + bad
                + " values that are NaN or infinite; expected finite numbers");
          }
          if (rows > 0) {
            lo[f] = r.getDouble(i + 1);
            hi[f] = r.getDouble(i + 2);
          }
          features.add(schema != null ? schema.feature(f) : new ContinuousFeature(plan.name()));
        }
        default -> throw new IllegalStateException();
      }
    }
    Schema s = schema != null ? schema : Schema.of(features);
    return new TableScan(s, ColumnRanges.of(lo, hi), rows);
  }

  private static DiscreteFeature categorical(String name, List<Object> values) {
    if (values.size() > CsvData.MAX_LEVELS) {
      throw PmodelException.badInput("column '" + name + "' has " + values.size()
          + " levels; at most " + CsvData.MAX_LEVELS + " are supported");
    }
    List<String> levels = new ArrayList<>(values.size());
    for (Object v : values) {
      levels.add(v instanceof Number n ? Long.toString(n.longValue()) : v.toString());
    }
    List<String> sorted = CsvData.sortLevels(levels);
    return DiscreteFeature.categorical(name, sorted.isEmpty() ? List.of("?") : sorted);
  }

  private static DiscreteFeature integerLevels(String name, Number min, Number max) {
    if (min == null) {
      return DiscreteFeature.integer(name, 1);
    }
    if (min.longValue() < 0) {
      throw PmodelException.badInput("column '" + name + "' holds " + min.longValue()
          + "; integer levels are 0 or more (read it as categorical instead)");
    }
    if (max.longValue() >= CsvData.MAX_LEVELS) {
      throw PmodelException.badInput("column '" + name + "' holds " + max.longValue()
          + "; integer levels go up to " + (CsvData.MAX_LEVELS - 1));
    }
    return DiscreteFeature.integer(name, (int) max.longValue() + 1);
  }

  /** Parses a string column's values as {@code pmodel fit} parses a CSV file's numbers. */
  static final class ParseReal implements UDF1<String, Double> {
    private static final long serialVersionUID = 1L;
    private final String column;

    ParseReal(String column) {
      this.column = column;
    }

    @Override
    public Double call(String v) {
      return v == null ? null : parse(column, v);
    }

    static double parse(String column, String v) {
      double x;
      try {
        x = Double.parseDouble(v);
      } catch (NumberFormatException e) {
        throw PmodelException.badInput("column '" + column + "': '" + v + "' is not a number");
      }
      if (!Double.isFinite(x)) {
        throw PmodelException.badInput("column '" + column + "': '" + v + "' is not finite;"
            + " expected a finite number (NaN and infinity are refused)");
      }
      return x;
    }
  }
}
