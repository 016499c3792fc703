package pmodel.spark;

import pmodel.api.data.ColumnRanges;
import pmodel.api.data.Schema;

/**
 * What one aggregation over a Spark table finds before counting: its pmodel schema (given, or
 * inferred as {@code pmodel fit} infers it from a CSV file of the same rows), the ranges of its
 * continuous features, and its number of rows.
 *
 * @param schema the pmodel schema, features in the order of the table's columns
 * @param ranges the minimum and maximum of every continuous feature (counting models bin them)
 * @param rows the number of rows
 */
public record TableScan(Schema schema, ColumnRanges ranges, long rows) {
}
