package pmodel.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts the packaged CLI (target/pmodel-cli.jar and target/lib on the module path) as a separate
 * JVM, as the ./pmodel launcher does; for integration tests that need a real process.
 */
final class CliProcess {
  static final Path TARGET = Path.of("target").toAbsolutePath();

  private CliProcess() {
  }

  /** The java command line for {@code pmodel args...} with extra JVM options. */
  static List<String> command(List<String> jvmOptions, String... args) throws IOException {
    Path jar = TARGET.resolve("pmodel-cli.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: integration tests run after 'package'");
    }
    List<String> modules = new ArrayList<>(List.of(jar.toString()));
    List<String> classpath = new ArrayList<>();
    try (Stream<Path> libs = Files.list(TARGET.resolve("lib"))) {
      libs.sorted().forEach(p -> (p.getFileName().toString().contains("native") ? classpath
          : modules).add(p.toString()));
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    if (!classpath.isEmpty()) {
      cmd.add("-cp");
      cmd.add(String.join(File.pathSeparator, classpath));
    }
    cmd.add("-p");
    cmd.add(String.join(File.pathSeparator, modules));
    cmd.add("-m");
    cmd.add("pmodel.cli/pmodel.cli.Main");
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** The result of a finished run. */
  record Result(int exit, String out, String err) {
  }

  /** Runs to completion (at most {@code seconds}) in {@code dir}. */
  static Result run(Path dir, int seconds, List<String> jvmOptions, String... args)
      throws IOException, InterruptedException {
    return run(dir, seconds, java.util.Map.of(), jvmOptions, args);
  }

  /** Runs to completion (at most {@code seconds}) in {@code dir} with extra environment. */
  static Result run(Path dir, int seconds, java.util.Map<String, String> environment,
      List<String> jvmOptions, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder b = new ProcessBuilder(command(jvmOptions, args)).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    b.environment().putAll(environment);
    Process p = b.start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("pmodel " + String.join(" ", args) + " did not finish in "
          + seconds + " s");
    }
    Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    Files.delete(out);
    Files.delete(err);
    return r;
  }
}
