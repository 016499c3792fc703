package pmodel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pmodel.runtime.ModelRegistry;
import pmodel.data.builtin.FashionMnist;
import pmodel.runtime.ModelFiles;

/**
 * Crash safety: the real CLI writing a large file is killed (SIGKILL, no chance to clean up) at
 * several moments; afterwards the destination holds the complete previous file or a complete new
 * one, never a partial one.
 */
class CrashSafetyIT {
  @TempDir
  Path dir;

  /**
   * When to kill, as fractions of the command's uninterrupted run time measured first on this
   * machine (JVM start included), so that the kills land while it works on fast and slow
   * machines alike: a fixed schedule in milliseconds missed a fast JVM that had already finished.
   */
  static final double[] KILL_AT = {0.15, 0.3, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95};
  /** The demo's kills (fewer: one quick demo takes half a minute). */
  static final double[] DEMO_KILL_AT = {0.15, 0.3, 0.45, 0.6, 0.7, 0.8};

  interface Check {
    /** True when the file at {@code p} is a complete new output. */
    boolean complete(Path p) throws IOException;
  }

  /** Starts the command in the test directory with its output discarded. */
  private Process start(String... args) throws IOException {
    return new ProcessBuilder(CliProcess.command(List.of(), args)).directory(dir.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  /** Runs the command to the end and returns how long it took, in milliseconds. */
  private long fullRunMillis(String... args) throws Exception {
    long t0 = System.nanoTime();
    Process p = start(args);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", args)).isZero();
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /**
   * Runs the command once to the end (its output must be complete), then starts it again and
   * kills it at each fraction of that run's time, checking the destination after every kill.
   * Returns how many kills hit a process that was still running.
   */
  private int killRepeatedly(Path dest, Check complete, String... args) throws Exception {
    long full = fullRunMillis(args);
    assertThat(complete.complete(dest)).as("an uninterrupted run's output").isTrue();
    byte[] previous = Files.readAllBytes(dest);
    int interrupted = 0;
    for (double at : KILL_AT) {
      long ms = Math.round(at * full);
      Process p = start(args);
      Thread.sleep(ms);
      boolean wasRunning = p.isAlive();
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      interrupted += wasRunning ? 1 : 0;
      byte[] now = Files.readAllBytes(dest);
      if (!Arrays.equals(now, previous)) {
        assertThat(complete.complete(dest)).as("killed after " + ms + " ms: the file changed but"
            + " is not complete").isTrue();
        previous = now;
      }
    }
    return interrupted;
  }

  @Test
  void killedSampleRunsLeaveTheOldFileOrACompleteNewOne() throws Exception {
    assertThat(Main.run(new String[] {"fit", "histogram", "--data", "builtin:outfits?rows=5000",
        "--out", dir.resolve("h.pm").toString()}, sink(), sink())).isZero();
    Path dest = dir.resolve("big.csv");
    assertThat(Main.run(new String[] {"sample", "--model", dir.resolve("h.pm").toString(), "-n",
        "10", "--out", dest.toString()}, sink(), sink())).isZero();
    int n = 3_000_000;
    int interrupted = killRepeatedly(dest, p -> {
      long lines;
      try (var s = Files.lines(p)) {
        lines = s.count();
      }
      return lines == n + 1;
    }, "sample", "--model", "h.pm", "-n", Integer.toString(n), "--out", "big.csv");
    // the kills must have hit running processes for the test to mean anything
    assertThat(interrupted).isGreaterThanOrEqualTo(4);
  }

  @Test
  void killedFitRunsLeaveTheOldModelOrACompleteNewOne() throws Exception {
    boolean present = FashionMnist.locate(null).isPresent();
    if (!present && System.getenv("PMODEL_REQUIRE_DATA") != null) {
      throw new AssertionError("Fashion-MNIST is required in CI");
    }
    Assumptions.assumeTrue(present, "Fashion-MNIST not installed");
    Path dest = dir.resolve("m.pm");
    assertThat(Main.run(new String[] {"fit", "histogram", "--data", "builtin:outfits?rows=100",
        "--out", dest.toString()}, sink(), sink())).isZero();
    ModelRegistry registry = ModelRegistry.discover();
    // a sparse histogram of 60,000 images: a model file of about 50 MB
    int interrupted = killRepeatedly(dest, p -> {
      ModelFiles.load(p, registry);
      return true;
    }, "fit", "histogram", "--data", "builtin:fashion-mnist:train", "--out", "m.pm");
    assertThat(interrupted).isGreaterThanOrEqualTo(4);
  }

  @Test
  void killedEvaluateRunsLeaveTheOldReportOrACompleteNewOne() throws Exception {
    Path dest = dir.resolve("report.html");
    Files.writeString(dest, "<html>previous</html>");
    int interrupted = killRepeatedly(dest, p -> Files.readString(p).strip().endsWith("</html>"),
        "evaluate", "--train", "builtin:fashion-mnist-subset:train", "--test",
        "builtin:fashion-mnist-subset:test", "--models", "naive-bayes,histogram", "--samples",
        "500", "--report", "report.html");
    assertThat(interrupted).isGreaterThanOrEqualTo(4);
  }

  /**
   * The demo writes many files; killed at any moment, each of them is absent, the previous
   * version, or complete (PNG ends with its IEND chunk, HTML with its closing tag, CSV with a
   * newline after a full row).
   */
  @Test
  void killedDemoRunsLeaveEveryFileOldOrComplete() throws Exception {
    Path out = dir.resolve("demo");
    String[] args = {"demo", "--quick", "--out", out.toString()};
    long full = fullRunMillis(args);
    int interrupted = 0;
    for (double at : DEMO_KILL_AT) {
      Process p = start(args);
      Thread.sleep(Math.round(at * full));
      interrupted += p.isAlive() ? 1 : 0;
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      if (!Files.isDirectory(out)) {
        continue;
      }
      try (var files = Files.list(out)) {
        for (Path f : files.filter(f -> !f.getFileName().toString().contains("pmodel-tmp"))
            .toList()) {
          byte[] b = Files.readAllBytes(f);
          String name = f.getFileName().toString();
          if (name.endsWith(".png")) {
            byte[] iend = {0x49, 0x45, 0x4E, 0x44, (byte) 0xAE, 0x42, 0x60, (byte) 0x82};
            assertThat(Arrays.copyOfRange(b, b.length - 8, b.length)).as(name).isEqualTo(iend);
          } else if (name.endsWith(".html")) {
            assertThat(new String(b, java.nio.charset.StandardCharsets.UTF_8).strip())
                .as(name).endsWith("</html>");
          } else if (name.endsWith(".csv")) {
            assertThat(b[b.length - 1]).as(name).isEqualTo((byte) '\n');
          }
        }
      }
    }
    assertThat(interrupted).isGreaterThanOrEqualTo(4);
  }

  private static PrintWriter sink() {
    return new PrintWriter(new StringWriter());
  }
}
