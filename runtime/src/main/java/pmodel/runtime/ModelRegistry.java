package pmodel.runtime;

import pmodel.api.error.PmodelException;

import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import pmodel.runtime.internal.PluginLayers;
import pmodel.api.spi.ModelProvider;

/**
 * The installed model providers, found through {@link ServiceLoader}: the built-in ones (on
 * pmodel's module or class path) and those of plugin directories, each plugin in its own child
 * {@link ModuleLayer}. Discovery isolates errors: a plugin or provider that fails to load, was
 * built for another API version, or repeats an id is recorded in {@link #problems()} as one line
 * and skipped, and the others keep working. Plugins load only from directories the caller names.
 */
public final class ModelRegistry {
  /** The origin of providers found on pmodel's own module or class path. */
  public static final String BUILT_IN = "built in";
  /** The environment variable that lists plugin directories. */
  public static final String PLUGIN_PATH_VARIABLE = "PMODEL_PLUGIN_PATH";

  private final Map<String, Entry> providers;
  private final List<String> problems;

  /** One installed provider and where it came from. */
  public record Entry(ModelProvider provider, String origin) {
  }

  private ModelRegistry(Map<String, Entry> providers, List<String> problems) {
    this.providers = providers;
    this.problems = problems;
  }

  /**
   * The providers visible to pmodel's own class loader: modules on the module path that
   * {@code provide} the service, and jars on the class path that list it in
   * {@code META-INF/services}.
   */
  public static ModelRegistry discover() {
    return discover(List.of());
  }

  /**
   * The built-in providers, then those of every plugin in {@code pluginDirectories}, in order:
   * when two providers share an id, the first one found is kept.
   */
  public static ModelRegistry discover(List<Path> pluginDirectories) {
    Builder b = new Builder();
    b.addAll(ServiceLoader.load(ModelProvider.class, ModelRegistry.class.getClassLoader()),
        BUILT_IN);
    for (Path dir : pluginDirectories) {
      b.addPluginDirectory(dir);
    }
    return b.build();
  }

  /**
   * The plugin directories to search, in order: those of {@code option} (the CLI's
   * {@code --plugin-path}), then those of {@code environment} (the value of
   * {@value #PLUGIN_PATH_VARIABLE}), both lists separated by {@link File#pathSeparator}, then
   * {@code userHome/.pmodel/plugins} when it exists. Either list may be null or empty; a
   * duplicate directory is searched once.
   */
  public static List<Path> pluginDirectories(String option, String environment, Path userHome) {
    java.util.LinkedHashSet<Path> dirs = new java.util.LinkedHashSet<>();
    for (String list : new String[] {option, environment}) {
      if (list == null) {
        continue;
      }
      for (String part : list.split(java.util.regex.Pattern.quote(File.pathSeparator))) {
        if (part.isBlank()) {
          continue;
        }
        try {
          dirs.add(Path.of(part.strip()).toAbsolutePath().normalize());
        } catch (InvalidPathException e) {
          throw PmodelException.badInput("plugin path entry '" + part + "' is not a valid path: "
              + e.getReason());
        }
      }
    }
    if (userHome != null) {
      Path home = userHome.resolve(".pmodel").resolve("plugins").toAbsolutePath().normalize();
      if (Files.isDirectory(home)) {
        dirs.add(home);
      }
    }
    return List.copyOf(dirs);
  }

  /** A registry of the given providers (tests and embedding). */
  public static ModelRegistry of(List<? extends ModelProvider> list) {
    Builder b = new Builder();
    for (ModelProvider p : list) {
      b.add(p, "given");
    }
    return b.build();
  }

  /** Collects providers from several sources, isolating each one's errors. */
  public static final class Builder {
    private final Map<String, Entry> providers = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    /** An empty builder. */
    public Builder() {
    }

    /** Adds every provider a service loader finds; {@code origin} null means "where it lives". */
    public Builder addAll(ServiceLoader<ModelProvider> loader, String origin) {
      Iterator<ModelProvider> it = loader.iterator();
      int failures = 0;
      while (true) {
        ModelProvider p;
        try {
          if (!it.hasNext()) {
            break;
          }
          p = it.next();
        } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
          problems.add("a model provider failed to load and was skipped: " + oneLine(e));
          if (++failures > 100) {
            break;
          }
          continue;
        }
        add(p, origin == null ? originOf(p) : origin);
      }
      return this;
    }

    /**
     * Adds the providers of every plugin under {@code dir}: each sub-directory is one plugin,
     * holding its jar and the jars it needs, loaded into its own child module layer. Providers
     * get the origin "plugin DIRECTORY". A missing directory, a plugin whose jars fail to load or
     * resolve, and each rejected provider add one line to the problems.
     */
    public Builder addPluginDirectory(Path dir) {
      for (PluginLayers.Plugin plugin : PluginLayers.load(dir, problems::add)) {
        String origin = "plugin " + plugin.directory();
        ModuleLayer layer = plugin.layer();
        int before = providers.size() + problems.size();
        Iterator<ServiceLoader.Provider<ModelProvider>> it =
            ServiceLoader.load(layer, ModelProvider.class).stream().iterator();
        for (int failures = 0; failures <= 100; ) {
          ModelProvider p;
          try {
            if (!it.hasNext()) {
              break;
            }
            ServiceLoader.Provider<ModelProvider> sp = it.next();
            if (sp.type().getModule().getLayer() != layer) {
              continue; // a provider of a parent layer (a built-in one)
            }
            p = sp.get();
          } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
            problems.add("a model provider of " + origin + " failed to load and was skipped: "
                + PluginLayers.oneLine(e));
            failures++;
            continue;
          }
          add(p, origin);
        }
        if (providers.size() + problems.size() == before) {
          problems.add(origin + " provides no model: its jars declare no"
              + " 'provides pmodel.api.spi.ModelProvider' (module-info.java) and no"
              + " META-INF/services/pmodel.api.spi.ModelProvider: skipped");
        }
      }
      return this;
    }

    /** Adds one provider after checking its id and API version. */
    public Builder add(ModelProvider p, String origin) {
      String id;
      int api;
      try {
        id = p.id();
        api = p.apiVersion();
        // what 'pmodel models' shows must not fail later
        java.util.Objects.requireNonNull(p.family(), "family() is null");
        java.util.Objects.requireNonNull(p.description(), "description() is null");
        java.util.Objects.requireNonNull(p.version(), "version() is null");
        java.util.Objects.requireNonNull(p.capabilities(), "capabilities() is null");
        java.util.Objects.requireNonNull(p.parameters(), "parameters() is null");
      } catch (RuntimeException | Error e) {
        // any Error too (a StackOverflowError from a recursive id()): one line, never a trace
        problems.add("model provider " + p.getClass().getName() + " (" + origin
            + ") failed and was skipped: " + oneLine(e));
        return this;
      }
      if (id == null || !id.matches("[a-z][a-z0-9-]*")) {
        problems.add("model provider " + p.getClass().getName() + " (" + origin
            + ") has an invalid id '" + id + "' and was skipped; expected lowercase letters,"
            + " digits and dashes");
        return this;
      }
      if (api != pmodel.api.spi.ModelProvider.API_VERSION) {
        problems.add("model '" + id + "' (" + origin + ") was built for pmodel API version "
            + api + "; this pmodel has API version " + ModelProvider.API_VERSION
            + ": skipped");
        return this;
      }
      Entry existing = providers.get(id);
      if (existing != null) {
        problems.add("duplicate model id '" + id + "': the model from " + origin
            + " was skipped; '" + id + "' is already the model "
            + (existing.origin().equals(BUILT_IN) ? "built into pmodel"
            : "from " + existing.origin()));
        return this;
      }
      providers.put(id, new Entry(p, origin));
      return this;
    }

    public ModelRegistry build() {
      Map<String, Entry> sorted = new LinkedHashMap<>();
      providers.keySet().stream().sorted().forEach(k -> sorted.put(k, providers.get(k)));
      return new ModelRegistry(Collections.unmodifiableMap(sorted), List.copyOf(problems));
    }
  }

  private static String oneLine(Throwable e) {
    return PluginLayers.oneLine(e);
  }

  /** "module NAME at LOCATION" or the class path location of the provider's code. */
  public static String originOf(ModelProvider p) {
    Module m = p.getClass().getModule();
    String where = null;
    CodeSource cs = p.getClass().getProtectionDomain().getCodeSource();
    if (cs != null) {
      URL url = cs.getLocation();
      where = url == null ? null : url.getPath();
    }
    String name = m.isNamed() ? "module " + m.getName() : "class path";
    return where == null ? name : name + " (" + where + ")";
  }

  /** Every usable provider, sorted by id. */
  public List<ModelProvider> providers() {
    return providers.values().stream().map(Entry::provider).toList();
  }

  /** Every usable provider with its origin, sorted by id. */
  public List<Entry> entries() {
    return List.copyOf(providers.values());
  }

  /** One line per provider that was skipped, saying why. */
  public List<String> problems() {
    return problems;
  }

  /** The installed ids, sorted. */
  public List<String> ids() {
    return List.copyOf(providers.keySet());
  }

  public Optional<ModelProvider> find(String id) {
    Entry e = providers.get(id);
    return e == null ? Optional.empty() : Optional.of(e.provider());
  }

  /** The provider with this id, or a bad-input error listing what is installed. */
  public ModelProvider get(String id) {
    return find(id).orElseThrow(() -> PmodelException.badInput("no model '" + id
        + "'; installed: " + (providers.isEmpty() ? "none" : String.join(", ", ids()))));
  }
}
