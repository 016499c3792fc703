package pmodel.cli;

import java.io.PrintWriter;
import pmodel.api.ModelRegistry;
import pmodel.api.PmodelException;
import pmodel.api.io.ModelFiles;
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
      err.println("pmodel: internal error: " + ex + (main.debug ? ""
          : " (run again with --debug for the stack trace)"));
      return PmodelException.FAILURE;
    });
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError e) {
      err.println("pmodel: out of memory; give Java more heap, e.g. PMODEL_JAVA_OPTS=-Xmx8g");
      return PmodelException.FAILURE;
    }
  }
}
