package pmodel.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pmodel.api.error.PmodelException;
import pmodel.data.builtin.Outfits;
import pmodel.data.io.CsvData;

/**
 * The catalogue of pmodel-spark's bad inputs in docs/errors-spark.md, kept honest like the
 * CLI's (cli ErrorCatalogueIT): every case runs {@code spark/pmodel-spark} (the packaged jar
 * through Spark's SparkSubmit) in its own process, as a user runs it; its exact message (the
 * scratch directory shown as DIR) and exit code must be a row of that file. Standard error may
 * hold that one line and the JVM's notice about the incubator module Spark adds, nothing else
 * (no Spark log lines, no stack trace), and nothing may be written. Run with
 * -Dpmodel.errors.write=true to rewrite the file after a message changes on purpose.
 */
class ErrorCatalogueIT {
  static final Path DOC = Path.of("..", "docs", "errors-spark.md");

  @TempDir
  Path dir;

  /** One bad input: the group and situation it documents, and the command (DIR: scratch). */
  record Case(String group, String situation, String... args) {
  }

  static final List<Case> CASES = List.of(
      new Case("Data", "a table that does not exist",
          "fit", "naive-bayes", "--data", "DIR/none.parquet", "--out", "DIR/m.pm"),
      new Case("Data", "a path whose format cannot be told",
          "fit", "naive-bayes", "--data", "DIR/x.json", "--out", "DIR/m.pm"),
      new Case("Data", "a value that is not a number in a continuous column",
          "fit", "histogram", "--data", "DIR/bad.csv", "--continuous", "x", "--out", "DIR/m.pm"),
      new Case("Data", "a declared continuous column that is not in the table",
          "fit", "histogram", "--data", "DIR/bad.csv", "--continuous", "y", "--out", "DIR/m.pm"),
      new Case("Models", "a model that is not installed (or not one of the counting models"
          + " the jar holds)",
          "fit", "flow", "--data", "DIR/bad.csv", "--out", "DIR/m.pm"),
      new Case("Models", "a hyperparameter out of range",
          "fit", "naive-bayes", "--data", "DIR/bad.csv", "--set", "alpha=-1", "--out",
          "DIR/m.pm"),
      new Case("Models", "a model file that does not exist",
          "sample", "--model", "DIR/none.pm", "-n", "5", "--out", "DIR/o.csv"),
      new Case("Models", "a model file that is not one",
          "sample", "--model", "DIR/bad.csv", "-n", "5", "--out", "DIR/o.csv"),
      new Case("Output", "a directory that does not exist",
          "fit", "naive-bayes", "--data", "DIR/bad.csv", "--out", "DIR/no/such/dir/m.pm"),
      new Case("Output", "an unknown table format",
          "sample", "--model", "DIR/nb.pm", "-n", "5", "--format", "orc", "--out", "DIR/o"),
      new Case("Usage", "no rows asked for",
          "sample", "--model", "DIR/nb.pm", "-n", "0", "--out", "DIR/o.parquet"),
      new Case("Usage", "--threads (the executors set the parallelism)",
          "fit", "naive-bayes", "--data", "DIR/bad.csv", "--threads", "2", "--out", "DIR/m.pm"),
      new Case("Usage", "a required option missing", "fit"),
      new Case("Usage", "an unknown command", "frobnicate"));

  static String[] expand(Path d, String[] args) {
    String[] out = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      out[i] = args[i].replace("DIR", d.toString());
    }
    return out;
  }

  /** What the JVM prints for the incubator module Spark's launcher options add. */
  static final String JVM_NOTICE = "WARNING: Using incubator modules: jdk.incubator.vector";

  @Test
  void everyCatalogueEntryIsTheMessageUsersGet() throws IOException {
    CsvData.write(dir.resolve("good.csv"), Outfits.sample(500, 8, 0));
    Commands.Result fit = SparkSubmitIT.submit(dir, "fit", "naive-bayes", "--data", "good.csv",
        "--out", "nb.pm");
    assertThat(fit.exit()).as(fit.toString()).isZero();
    Files.writeString(dir.resolve("bad.csv"), "x,c\n1.5,a\nabc,b\n");
    List<String> before = files();
    List<String> groups = new ArrayList<>();
    List<String> rows = new ArrayList<>();
    for (Case c : CASES) {
      Commands.Result r = SparkSubmitIT.submit(dir, expand(dir, c.args()));
      List<String> lines = r.err().lines().filter(l -> !l.isBlank() && !l.equals(JVM_NOTICE))
          .toList();
      assertThat(r.exit()).as(c.situation() + ": " + r).isEqualTo(PmodelException.BAD_INPUT);
      assertThat(lines).as(c.situation() + ": " + r).hasSize(1);
      String text = lines.get(0);
      assertThat(text).as(c.situation()).startsWith("pmodel-spark: ")
          .doesNotContain("Exception");
      assertThat(r.out()).as(c.situation()).isEmpty();
      // nothing half-written: no output and no temporary file
      assertThat(files()).as(c.situation()).isEqualTo(before);
      if (!groups.contains(c.group())) {
        groups.add(c.group());
      }
      String message = text.replace(dir.toString(), "DIR");
      rows.add(c.group() + "\t| " + c.situation() + " | `pmodel-spark "
          + String.join(" ", c.args()).replace("|", "\\|") + "` | `"
          + message.replace("|", "\\|") + "` | " + r.exit() + " |");
    }
    if (Boolean.getBoolean("pmodel.errors.write")) {
      write(groups, rows);
      return;
    }
    String doc = Files.readString(DOC);
    for (String row : rows) {
      assertThat(doc).as("docs/errors-spark.md is out of date (run this test with"
          + " -Dpmodel.errors.write=true to rewrite it)")
          .contains(row.substring(row.indexOf('\t') + 1));
    }
  }

  private List<String> files() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }

  static void write(List<String> groups, List<String> rows) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("# Errors of pmodel-spark\n\n");
    sb.append("What `spark/pmodel-spark` and `spark-submit ... pmodel-spark-submit.jar` say when"
        + " their input is bad,\nexactly. Every row is produced by running the command in local"
        + " mode\n(`spark/src/test/java/pmodel/spark/ErrorCatalogueIT.java`,"
        + " through `spark/pmodel-spark`; DIR is a scratch\ndirectory holding `bad.csv`, a table"
        + " whose column x has a value that is not a number, and `nb.pm`,\na fitted model).\nThe exit codes and the rules"
        + " are those of the plain CLI ([errors.md](errors.md)): one line on\nstandard error,"
        + " `--debug` for the stack trace, nothing half-written.\n");
    for (String g : groups) {
      sb.append("\n## ").append(g).append("\n\n");
      sb.append("| situation | command | message | exit |\n|---|---|---|---|\n");
      for (String r : rows) {
        if (r.startsWith(g + "\t")) {
          sb.append(r.substring(g.length() + 1)).append('\n');
        }
      }
    }
    Files.writeString(DOC, sb.toString());
  }
}
