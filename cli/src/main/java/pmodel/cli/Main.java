package pmodel.cli;

import java.io.PrintWriter;
import pmodel.runtime.ModelRegistry;
import pmodel.api.error.PmodelException;
import pmodel.runtime.ModelFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code pmodel} command: fit generative models, sample from them, score data. */
@Command(name = "pmodel",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Fit generative models, sample new data from them, and score how likely data"
        + " is under them.",
    subcommands = {ModelsCommand.class, FitCommand.class, SampleCommand.class,
        ScoreCommand.class, InspectCommand.class, EvaluateCommand.class, LatentCommand.class,
        InterpolateCommand.class, DemoCommand.class,
        CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:failure while running", "2:bad usage or bad input"})
public final class Main implements Runnable {
  @Option(names = "--debug", scope = ScopeType.INHERIT,
      description = "Print the Java stack trace of an error.")
  boolean debug;

  @Option(names = "--plugin-path", scope = ScopeType.INHERIT, paramLabel = "DIRS",
      description = "Plugin directories to load models from, separated by '${sys:path.separator}'"
          + " (searched before $" + ModelRegistry.PLUGIN_PATH_VARIABLE
          + " and ~/.pmodel/plugins). Each plugin is a sub-directory holding its jars.")
  String pluginPath;

  private final PrintWriter out;
  private final PrintWriter err;
  private ModelRegistry registry;

  Main(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  /**
   * The installed providers, built in and from the plugin directories, discovered once; each
   * problem is reported on stderr as one line.
   */
  ModelRegistry registry() {
    if (registry == null) {
      String home = System.getProperty("user.home");
      registry = ModelRegistry.discover(ModelRegistry.pluginDirectories(pluginPath,
          System.getenv(ModelRegistry.PLUGIN_PATH_VARIABLE),
          home == null || home.isEmpty() ? null : java.nio.file.Path.of(home)));
      for (String p : registry.problems()) {
        err.println("pmodel: warning: " + p);
      }
    }
    return registry;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this),
        "a command is required: models, fit, sample, score, inspect, evaluate, latent,"
            + " interpolate or demo");
  }

  /** The version string. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"pmodel " + ModelFiles.pmodelVersion() + " (model file format "
          + ModelFiles.FORMAT_VERSION + ", provider API " + pmodel.api.spi.ModelProvider.API_VERSION
          + ")"};
    }
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = run(args, out, err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs the command line and returns the exit code (0, 1 or 2). */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    Main main = new Main(out, err);
    CommandLine cl = new CommandLine(main);
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler((ex, a) -> {
      CommandLine c = ex.getCommandLine();
      err.println("pmodel: " + ex.getMessage().replace('\n', ' ') + " (see '"
          + c.getCommandSpec().qualifiedName() + " --help')");
      return PmodelException.BAD_INPUT;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      if (main.debug) {
        ex.printStackTrace(err);
      }
      if (ex instanceof PmodelException p) {
        err.println("pmodel: " + p.getMessage());
        return p.exitCode();
      }
      main.reportFailure(ex);
      return PmodelException.FAILURE;
    });
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError e) {
      err.println("pmodel: out of memory; give Java more heap, e.g. PMODEL_JAVA_OPTS=-Xmx8g");
      return PmodelException.FAILURE;
    } catch (Error e) {
      // picocli passes Errors through (a plugin's StackOverflowError, AssertionError, ...):
      // one line, the trace only with --debug
      if (main.debug) {
        e.printStackTrace(err);
      }
      main.reportFailure(e);
      return PmodelException.FAILURE;
    }
  }

  /**
   * One line for an unexpected failure: when the failing code belongs to an installed model,
   * the line names the model (a plugin's bug is not pmodel's internal error).
   */
  void reportFailure(Throwable ex) {
    String model = registry == null ? null : culprit(ex, registry);
    String what = OneLine.of(ex);
    if (model != null) {
      err.println("pmodel: model '" + model + "' failed: " + what + (debug ? ""
          : " (run again with --debug for the stack trace)"));
    } else {
      err.println("pmodel: internal error: " + what + (debug ? ""
          : " (run again with --debug for the stack trace)"));
    }
  }

  /** The id of the provider whose code is deepest in the failure's stack, or null. */
  static String culprit(Throwable ex, ModelRegistry registry) {
    java.util.Map<String, String> packages = new java.util.LinkedHashMap<>();
    for (pmodel.api.spi.ModelProvider p : registry.providers()) {
      packages.putIfAbsent(p.getClass().getPackageName() + ".", p.id());
    }
    for (Throwable t = ex; t != null; t = t.getCause()) {
      for (StackTraceElement frame : t.getStackTrace()) {
        for (java.util.Map.Entry<String, String> e : packages.entrySet()) {
          if (frame.getClassName().startsWith(e.getKey())) {
            return e.getValue();
          }
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /** A throwable as one short line: its class and the first line of its message. */
  static final class OneLine {
    private OneLine() {
    }

    static String of(Throwable e) {
      String m = e.getMessage();
      if (m != null) {
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        if (m.length() > 300) {
          m = m.substring(0, 300) + "...";
        }
      }
      return e.getClass().getName() + (m == null ? "" : ": " + m);
    }
  }
}
