package pmodel.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs commands for the tests: this module's Main in-process, or another program. */
final class Commands {
  /** The pmodel checkout this build runs in. */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private Commands() {
  }

  /** What a command printed and its exit code. */
  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + tail(out) + "\n--- stderr\n" + tail(err);
    }

    private static String tail(String s) {
      return s.length() <= 6000 ? s : "..." + s.substring(s.length() - 6000);
    }
  }

  /** {@code pmodel-spark ARGS} in this JVM, on the tests' Spark session. */
  static Result sparkMain(String... args) {
    TestSpark.session();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  /**
   * The plain CLI as a user runs it, {@code ./pmodel ARGS}, from what the reactor has just
   * built (it never builds here), with a temporary home so that no plugin of the machine is
   * read.
   */
  static Result pmodel(Path dir, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ROOT.resolve("pmodel").toString());
    cmd.addAll(List.of(args));
    return run(cmd, Map.of("PMODEL_NO_BUILD", "1", "PMODEL_JAVA_OPTS",
        "-Xmx512m -Duser.home=" + dir, "PMODEL_PLUGIN_PATH", ""), dir, 120);
  }

  /** Runs a command in {@code dir} with extra environment variables, within a time limit. */
  static Result run(List<String> cmd, Map<String, String> env, Path dir, long seconds) {
    try {
      Path out = Files.createTempFile("pmodel-spark-test", ".out");
      Path err = Files.createTempFile("pmodel-spark-test", ".err");
      try {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          throw new AssertionError(String.join(" ", cmd) + " took more than " + seconds + " s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
