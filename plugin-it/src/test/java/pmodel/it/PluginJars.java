package pmodel.it;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Small plugins and libraries compiled on the fly, for the failure-line tests. */
final class PluginJars {
  private PluginJars() {
  }

  /**
   * The jars the launcher runs pmodel with (pmodel-api and what it needs), as a module path;
   * like the launcher, without the native-library jars (DJL's PyTorch natives), whose names
   * are no module names.
   */
  static String pmodelModulePath() {
    try (var jars = Files.list(Launcher.ROOT.resolve("cli/target/lib"))) {
      return String.join(java.io.File.pathSeparator, jars.map(Path::toString)
          .filter(p -> !Path.of(p).getFileName().toString().contains("native")).sorted()
          .toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A jar of the given sources ({@code path → text}), compiled for Java 17 against
   * {@code modulePath} (none for a plain library), written to {@code jar}.
   */
  static Path build(Path jar, Map<String, String> sources, String modulePath) {
    try {
      Path src = Files.createTempDirectory("plugin-src");
      Path classes = Files.createTempDirectory("plugin-classes");
      List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString()));
      if (modulePath != null) {
        args.addAll(List.of("--module-path", modulePath));
      }
      List<Path> sourceFiles = new ArrayList<>();
      for (Map.Entry<String, String> e : sources.entrySet()) {
        Path p = src.resolve(e.getKey());
        Files.createDirectories(p.getParent() == null ? src : p.getParent());
        Files.writeString(p, e.getValue());
        sourceFiles.add(p);
      }
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      StringWriter log = new StringWriter();
      try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
        if (!javac.getTask(log, fm, null, args, null, fm.getJavaFileObjectsFromPaths(sourceFiles))
            .call()) {
          throw new AssertionError("javac failed: " + log);
        }
      }
      Files.createDirectories(jar.getParent());
      try (OutputStream out = Files.newOutputStream(jar);
          JarOutputStream j = new JarOutputStream(out);
          var files = Files.walk(classes)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          if (Files.isRegularFile(p)) {
            j.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
            j.write(Files.readAllBytes(p));
            j.closeEntry();
          }
        }
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The sources of a modular plugin {@code module} whose provider has the given id, API version
   * and description expression; {@code requires} adds a module it reads.
   */
  static Map<String, String> provider(String module, String id, String apiVersion,
      String description, String requires, boolean provides) {
    String pkg = module;
    return Map.of(
        "module-info.java", "module " + module + " {\n  requires pmodel.api;\n"
            + (requires == null ? "" : "  requires " + requires + ";\n")
            + (provides ? "  provides pmodel.api.spi.ModelProvider with " + pkg + ".P;\n" : "")
            + "}\n",
        pkg.replace('.', '/') + "/P.java", """
            package %s;

            import java.util.EnumSet;
            import java.util.List;
            import java.util.Set;
            import pmodel.api.Capability;
            import pmodel.api.Family;
            import pmodel.api.GenerativeModel;
            import pmodel.api.error.PmodelException;
            import pmodel.api.data.Dataset;
            import pmodel.api.data.Schema;
            import pmodel.api.params.*;
            import pmodel.api.spi.*;

            public final class P implements ModelProvider {
              public String id() { return "%s"; }
              public Family family() { return Family.EXPLICIT_TRACTABLE; }
              public String description() { return %s; }
              public int apiVersion() { return %s; }
              public Set<Capability> capabilities() {
                return EnumSet.of(Capability.SAMPLING, Capability.EXACT_DENSITY);
              }
              public List<ParameterSpec> parameters() { return List.of(); }
              public Support supports(Schema s, Parameters p) {
                return Support.no("a test plugin models nothing");
              }
              public GenerativeModel fit(Dataset d, Parameters p, FitContext c) {
                throw PmodelException.badInput("a test plugin models nothing");
              }
              public void write(GenerativeModel m, StateWriter w) {
                throw new UnsupportedOperationException();
              }
              public GenerativeModel read(StateReader r) {
                throw r.corrupt("a test plugin reads nothing");
              }
            }
            """.formatted(pkg, id, description, apiVersion));
  }

  /**
   * A plain jar whose file name makes it the automatic module {@code module}, holding one class
   * {@code module.Version} whose {@code value()} is {@code value}.
   */
  static Path library(Path dir, String module, String value) {
    return build(dir.resolve(module + "-9.0.jar"), Map.of(
        module.replace('.', '/') + "/Version.java", "package " + module + ";\n"
            + "public final class Version {\n"
            + "  public static String value() { return \"" + value + "\"; }\n"
            + "}\n"), null);
  }

  /** A plain (non-modular) library jar {@code acme-greeting-V.0.jar} whose version() is V. */
  static Path greetingLibrary(Path dir, int version) {
    return build(dir.resolve("acme-greeting-" + version + ".0.jar"), Map.of(
        "acme/greeting/Greeting.java", "package acme.greeting;\n"
            + "public final class Greeting {\n"
            + "  public static String version() { return \"" + version + "\"; }\n"
            + "}\n"), null);
  }
}
