package pmodel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** Runs the pmodel command in-process as a user would type it; "@" in an argument is the temp dir. */
abstract class CommandLineTestBase {
  @TempDir
  Path dir;

  record Result(int exit, String out, String err) {
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> a = new ArrayList<>();
    for (String s : args) {
      a.add(s.replace("@", dir.toString() + "/"));
    }
    int code = Main.run(a.toArray(String[]::new), new PrintWriter(out, true),
        new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  Path file(String name) {
    return dir.resolve(name);
  }

  /** One bad input: exit code 2, one line on stderr with the expected text, no output file. */
  void refused(String expected, String output, String... args) {
    Result r = run(args);
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith("pmodel: ").contains(expected)
        .doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(r.err().strip().lines().count()).isEqualTo(1);
    if (output != null) {
      assertThat(file(output)).doesNotExist();
    }
  }
}
