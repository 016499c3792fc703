package pmodel.runtime.internal;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Loads plugin directories into module layers. A plugin directory holds one sub-directory per
 * plugin; the jars of each sub-directory (modular jars as named modules, plain jars as automatic
 * modules) become one child layer of the layer that holds {@code pmodel.api}, with its own class
 * loader, so two plugins may bundle different versions of one library.
 *
 * <p>A module that the parent layer already has (pmodel.api, Commons RNG, Jackson, ...) always
 * comes from the parent layer, even when the plugin bundles a copy: pmodel and its plugins must
 * share the api's types, and a bundled plain jar of the same name would be an automatic module
 * that reads the parent's copy too, which the module system refuses. Only the plugin's other
 * modules go into its layer.
 */
public final class PluginLayers {
  /** One plugin: its sub-directory and, when it loaded, its layer. */
  public record Plugin(Path directory, ModuleLayer layer) {
  }

  private PluginLayers() {
  }

  /** The layer plugins are children of: the one holding the api, or the boot layer. */
  public static ModuleLayer parentLayer() {
    ModuleLayer l = PluginLayers.class.getModule().getLayer();
    return l == null ? ModuleLayer.boot() : l;
  }

  /**
   * Loads every plugin sub-directory of {@code dir}, in name order. Each failure is reported to
   * {@code problems} as one line and that plugin is skipped.
   */
  public static List<Plugin> load(Path dir, Consumer<String> problems) {
    List<Plugin> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      problems.accept("plugin directory " + dir + " does not exist or is not a directory:"
          + " skipped");
      return out;
    }
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        entries.add(p);
      }
    } catch (IOException | SecurityException e) {
      problems.accept("plugin directory " + dir + " cannot be listed (" + e.getMessage()
          + "): skipped");
      return out;
    }
    entries.sort(null);
    for (Path p : entries) {
      String name = p.getFileName().toString();
      if (name.startsWith(".")) {
        continue;
      }
      if (Files.isDirectory(p)) {
        try {
          out.add(new Plugin(p, define(p)));
        } catch (RuntimeException | LinkageError e) {
          problems.accept("plugin " + p + " failed to load and was skipped: " + oneLine(e));
        }
      } else if (name.endsWith(".jar")) {
        problems.accept("plugin directory " + dir + ": " + name + " is not in a plugin"
            + " sub-directory: skipped; put each plugin with the jars it needs in its own"
            + " sub-directory, e.g. " + dir.resolve(name.substring(0, name.length() - 4))
            .resolve(name));
      }
    }
    return out;
  }

  private static ModuleLayer define(Path pluginDir) {
    ModuleFinder all = ModuleFinder.of(pluginDir);
    Set<ModuleReference> refs = all.findAll(); // reads every jar: a broken one fails here
    if (refs.isEmpty()) {
      throw new IllegalStateException("no jar in " + pluginDir);
    }
    ModuleLayer parent = parentLayer();
    Set<String> roots = new TreeSet<>();
    Set<String> own = new HashSet<>();
    Set<String> shared = new TreeSet<>();
    for (ModuleReference r : refs) {
      String name = r.descriptor().name();
      if (parent.findModule(name).isPresent()) {
        shared.add(name);
      } else {
        roots.add(name);
        own.add(name);
      }
    }
    if (roots.isEmpty()) {
      throw new IllegalStateException("its jars hold only modules pmodel has itself ("
          + String.join(", ", shared) + ")");
    }
    ModuleFinder plugin = new ModuleFinder() {
      @Override
      public java.util.Optional<ModuleReference> find(String name) {
        return own.contains(name) ? all.find(name) : java.util.Optional.empty();
      }

      @Override
      public Set<ModuleReference> findAll() {
        Set<ModuleReference> s = new HashSet<>();
        for (ModuleReference r : refs) {
          if (own.contains(r.descriptor().name())) {
            s.add(r);
          }
        }
        return s;
      }
    };
    Configuration cf = Configuration.resolveAndBind(plugin, List.of(parent.configuration()),
        ModuleFinder.of(), roots);
    return ModuleLayer.defineModulesWithOneLoader(cf, List.of(parent),
        PluginLayers.class.getClassLoader()).layer();
  }

  /** The message of an error and its causes, on one line. */
  public static String oneLine(Throwable e) {
    StringBuilder sb = new StringBuilder();
    Throwable t = e;
    for (int depth = 0; t != null && depth < 4; depth++, t = t.getCause()) {
      String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (sb.indexOf(m) < 0) {
        sb.append(sb.length() == 0 ? "" : ": ").append(m);
      }
    }
    return sb.toString().replace('\r', ' ').replace('\n', ' ');
  }
}
