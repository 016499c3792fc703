package pmodel.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs commands as a user would in a shell: the real {@code ./pmodel} launcher, Maven. */
final class Launcher {
  /** The pmodel checkout this build runs in. */
  static final Path ROOT = Path.of(System.getProperty("pmodel.root", "..")).toAbsolutePath()
      .normalize();

  private Launcher() {
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

  /**
   * {@code ./pmodel ARGS} with the environment {@code env} added: the launcher never builds
   * (PMODEL_NO_BUILD: the reactor has just built the CLI) and the user's home is {@code home},
   * so that a ~/.pmodel/plugins of the machine is never read.
   */
  static Result pmodel(Path home, Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ROOT.resolve("pmodel").toString());
    cmd.addAll(List.of(args));
    java.util.HashMap<String, String> e = new java.util.HashMap<>(env);
    e.put("PMODEL_NO_BUILD", "1");
    e.put("PMODEL_JAVA_OPTS", "-Xmx512m -Duser.home=" + home);
    e.putIfAbsent("PMODEL_PLUGIN_PATH", "");
    return run(cmd, e, home, 120);
  }

  /** Runs a command in {@code dir} with extra environment variables, within a time limit. */
  static Result run(List<String> cmd, Map<String, String> env, Path dir, long seconds) {
    try {
      Path out = Files.createTempFile("pmodel-it", ".out");
      Path err = Files.createTempFile("pmodel-it", ".err");
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

  /** Copies a directory tree, leaving out build output ({@code target}). */
  static void copyTree(Path from, Path to) {
    try (var files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path rel = from.relativize(p);
        if (rel.getNameCount() > 0 && rel.getName(0).toString().equals("target")) {
          continue;
        }
        Path dest = to.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
