package pmodel.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pmodel.api.error.PmodelException;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Schema;

/**
 * Spark types map to pmodel features as documented, and what does not map is refused with one
 * line naming the column.
 */
class SchemaMappingTest {
  static SparkSession spark() {
    return TestSpark.session();
  }

  static StructField field(String name, DataType type) {
    return new StructField(name, type, true, Metadata.empty());
  }

  static Dataset<Row> table(List<Row> rows, StructField... fields) {
    return spark().createDataFrame(rows, new StructType(fields));
  }

  static void assertOneLine(Throwable t, String... parts) {
    assertThat(t).isInstanceOf(PmodelException.class);
    assertThat(((PmodelException) t).exitCode()).isEqualTo(PmodelException.BAD_INPUT);
    assertThat(t.getMessage()).doesNotContain("\n").contains(parts);
  }

  @Test
  void everySupportedTypeMapsAsDocumented() {
    Dataset<Row> t = table(List.of(
            RowFactory.create("b", 10, 5L, (byte) 1, (short) 7, true, 0.5, 1.5f,
                new BigDecimal("3.25"), 0, "1.5"),
            RowFactory.create("a", -3, 5L, (byte) 1, (short) 7, false, -2.0, 1.5f,
                new BigDecimal("-1.00"), 2, " -3e1 "),
            RowFactory.create("c", 2, 6L, (byte) 2, (short) 8, true, 4.0, 2.5f,
                new BigDecimal("0.10"), 1, "4"),
            RowFactory.create("a", 10, 5L, (byte) 1, (short) 7, true, 0.0, 1.5f,
                new BigDecimal("0.00"), 2, "2")),
        field("s", DataTypes.StringType), field("n", DataTypes.IntegerType),
        field("big", DataTypes.LongType), field("tiny", DataTypes.ByteType),
        field("small", DataTypes.ShortType), field("b", DataTypes.BooleanType),
        field("d", DataTypes.DoubleType), field("f", DataTypes.FloatType),
        field("dec", DataTypes.createDecimalType(10, 2)), field("lv", DataTypes.IntegerType),
        field("cs", DataTypes.StringType));
    TableScan scan = SchemaMapping.inferred().withIntegerLevels(List.of("lv"))
        .withContinuous(List.of("cs")).scan(t);
    assertThat(scan.rows()).isEqualTo(4);
    assertThat(scan.schema()).isEqualTo(Schema.of(
        DiscreteFeature.categorical("s", List.of("a", "b", "c")),
        DiscreteFeature.categorical("n", List.of("-3", "2", "10")),
        DiscreteFeature.categorical("big", List.of("5", "6")),
        DiscreteFeature.categorical("tiny", List.of("1", "2")),
        DiscreteFeature.categorical("small", List.of("7", "8")),
        DiscreteFeature.categorical("b", List.of("false", "true")),
        new ContinuousFeature("d"), new ContinuousFeature("f"), new ContinuousFeature("dec"),
        DiscreteFeature.integer("lv", 3), new ContinuousFeature("cs")));
    assertThat(scan.ranges().min(6)).isEqualTo(-2.0);
    assertThat(scan.ranges().max(6)).isEqualTo(4.0);
    assertThat(scan.ranges().min(8)).isEqualTo(-1.0);
    assertThat(scan.ranges().max(8)).isEqualTo(3.25);
    assertThat(scan.ranges().min(10)).isEqualTo(-30.0);
    assertThat(scan.ranges().max(10)).isEqualTo(4.0);
    assertThat(scan.ranges().min(0)).isNaN();
  }

  static List<Object[]> unmappable() {
    return List.of(
        new Object[] {DataTypes.createArrayType(DataTypes.IntegerType), "array<int>",
            List.of(1, 2)},
        new Object[] {DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType),
            "map<string,int>", Map.of("a", 1)},
        new Object[] {new StructType(new StructField[] {field("a", DataTypes.IntegerType)}),
            "struct<a:int>", RowFactory.create(1)},
        new Object[] {DataTypes.BinaryType, "binary", new byte[] {1}},
        new Object[] {DataTypes.DateType, "date", Date.valueOf("2024-01-02")},
        new Object[] {DataTypes.TimestampType, "timestamp", new Timestamp(0)});
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("unmappable")
  void nestedTypesMapsBinaryAndDatesAreRefusedWithOneLine(DataType type, String name,
      Object value) {
    Dataset<Row> t = table(List.of(RowFactory.create("x", value)),
        field("ok", DataTypes.StringType), field("odd", type));
    assertThatThrownBy(() -> SchemaMapping.inferred().scan(t)).satisfies(e -> assertOneLine(e,
        "column 'odd' has Spark type " + name + ", which no pmodel feature holds"));
  }

  @Test
  void missingValuesAreRefused() {
    Dataset<Row> t = table(List.of(RowFactory.create("a", 1.0), RowFactory.create(null, 2.0)),
        field("s", DataTypes.StringType), field("d", DataTypes.DoubleType));
    assertThatThrownBy(() -> SchemaMapping.inferred().scan(t)).satisfies(e -> assertOneLine(e,
        "column 's' has 1 missing (null) values; missing values are not supported"));
  }

  @Test
  void nonFiniteNumbersAreRefused() {
    Dataset<Row> t = table(List.of(RowFactory.create(Double.NaN), RowFactory.create(1.0),
        RowFactory.create(Double.NEGATIVE_INFINITY)), field("d", DataTypes.DoubleType));
    assertThatThrownBy(() -> SchemaMapping.inferred().scan(t)).satisfies(e -> assertOneLine(e,
        "column 'd' has 2 values that are NaN or infinite; expected finite numbers"));
  }

  @Test
  void aContinuousStringColumnWithAWordIsRefusedByTheParserPmodelFitUses() {
    Dataset<Row> t = table(List.of(RowFactory.create("1.5"), RowFactory.create("abc")),
        field("x", DataTypes.StringType));
    assertThatThrownBy(() -> SchemaMapping.inferred().withContinuous(List.of("x")).scan(t))
        .satisfies(e -> assertOneLine(e, "column 'x': 'abc' is not a number"));
    Dataset<Row> nan = table(List.of(RowFactory.create("NaN")), field("x", DataTypes.StringType));
    assertThatThrownBy(() -> SchemaMapping.inferred().withContinuous(List.of("x")).scan(nan))
        .satisfies(e -> assertOneLine(e, "column 'x': 'NaN' is not finite"));
  }

  @Test
  void optionsThatNameNoColumnOrTheWrongTypeAreRefused() {
    Dataset<Row> t = table(List.of(RowFactory.create("a", -1)), field("s", DataTypes.StringType),
        field("n", DataTypes.IntegerType));
    assertThatThrownBy(() -> SchemaMapping.inferred().withContinuous(List.of("nope")).scan(t))
        .satisfies(e -> assertOneLine(e, "--continuous names column 'nope', which the table does"
            + " not have; columns: s, n"));
    assertThatThrownBy(() -> SchemaMapping.inferred().withIntegerLevels(List.of("s")).scan(t))
        .satisfies(e -> assertOneLine(e, "--integer-levels names column 's' of type string;"
            + " expected an integer column"));
    assertThatThrownBy(() -> SchemaMapping.inferred().withIntegerLevels(List.of("n")).scan(t))
        .satisfies(e -> assertOneLine(e, "column 'n' holds -1; integer levels are 0 or more"));
    assertThatThrownBy(() -> new SchemaMapping(Schema.of(new ContinuousFeature("n")),
        java.util.Set.of("n"), java.util.Set.of())).satisfies(e -> assertOneLine(e,
        "a schema cannot be combined with --continuous"));
  }

  @Test
  void aGivenSchemaTakesColumnsByNameAndChecksTheirTypes() {
    Dataset<Row> t = table(List.of(RowFactory.create(true, "x", "2.5", 3L)),
        field("flag", DataTypes.BooleanType), field("extra", DataTypes.StringType),
        field("v", DataTypes.StringType), field("k", DataTypes.LongType));
    Schema schema = Schema.of(DiscreteFeature.integer("k", 5), new ContinuousFeature("v"));
    TableScan scan = SchemaMapping.of(schema).scan(t);
    assertThat(scan.schema()).isEqualTo(schema);
    assertThat(scan.ranges().min(1)).isEqualTo(2.5);
    assertThatThrownBy(() -> SchemaMapping.of(Schema.of(new ContinuousFeature("flag"))).scan(t))
        .satisfies(e -> assertOneLine(e, "column 'flag' has Spark type boolean, but the"
            + " schema's feature is ContinuousFeature[name=flag]; expected a number or string"
            + " column"));
    assertThatThrownBy(() -> SchemaMapping.of(Schema.of(new ContinuousFeature("gone"))).scan(t))
        .satisfies(e -> assertOneLine(e, "the schema names column 'gone', which the table does"
            + " not have"));
  }

  @Test
  void valuesOutsideAGivenSchemaAreRefusedWhileCounting() {
    Schema schema = Schema.of(DiscreteFeature.categorical("colour", List.of("red", "blue")),
        DiscreteFeature.integer("size", 3));
    Dataset<Row> unknown = table(List.of(RowFactory.create("red", 1),
        RowFactory.create("purple", 2)), field("colour", DataTypes.StringType),
        field("size", DataTypes.IntegerType));
    assertThatThrownBy(() -> SparkFit.fit(unknown, "naive-bayes", Map.of(),
        SchemaMapping.of(schema), 0)).satisfies(e -> assertOneLine(e,
        "column 'colour': unknown level 'purple'; expected one of red, blue"));
    Dataset<Row> tooLarge = table(List.of(RowFactory.create("red", 3)),
        field("colour", DataTypes.StringType), field("size", DataTypes.IntegerType));
    assertThatThrownBy(() -> SparkFit.fit(tooLarge, "histogram", Map.of(),
        SchemaMapping.of(schema), 0)).satisfies(e -> assertOneLine(e,
        "column 'size': unknown level '3'; expected an integer 0..2"));
  }

  @Test
  void modelsThatCannotFitOnSparkAreRefusedBeforeAnythingRuns() {
    Dataset<Row> t = table(List.of(RowFactory.create("a")), field("s", DataTypes.StringType));
    assertThatThrownBy(() -> SparkFit.fit(t, "not-counting-test", Map.of(),
        SchemaMapping.inferred(), 0)).satisfies(e -> assertOneLine(e,
        "model 'not-counting-test' cannot be fitted on Spark: its fit is not a count"));
    assertThatThrownBy(() -> SparkFit.fit(t, "local-counting-test", Map.of(),
        SchemaMapping.inferred(), 0)).satisfies(e -> assertOneLine(e,
        "model 'local-counting-test' cannot be fitted on Spark: its statistics cannot move"));
    assertThatThrownBy(() -> SparkFit.fit(t, "nope", Map.of(), SchemaMapping.inferred(), 0))
        .satisfies(e -> assertOneLine(e, "no model 'nope'; installed: "));
    assertThatThrownBy(() -> SparkFit.fit(t.filter("s = 'zzz'"), "histogram", Map.of(),
        SchemaMapping.inferred(), 0)).satisfies(e -> assertOneLine(e,
        "the table has no rows; expected at least one"));
  }

  @Test
  void aPmodelSchemaBecomesStringIntAndDoubleColumns() {
    Schema schema = Schema.of(DiscreteFeature.categorical("c", List.of("x", "y")),
        DiscreteFeature.integer("k", 4), new ContinuousFeature("v"));
    StructType st = SchemaMapping.sparkSchema(schema);
    assertThat(st.fields()).extracting(StructField::dataType).containsExactly(
        DataTypes.StringType, DataTypes.IntegerType, DataTypes.DoubleType);
    assertThat(st.fieldNames()).containsExactly("c", "k", "v");
  }
}
