package pmodel.api.internal;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
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
 * <p>The modules that the api shares with plugins ({@code pmodel.api} and what it
 * {@code requires transitive}) always come from the parent layer: a plugin that bundles its own
 * copy of them would otherwise see another {@code ModelProvider} type. Any other module of the
 * parent layer (Jackson, say) is shadowed by a copy the plugin bundles, and used from the parent
 * when the plugin bundles none.
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
    Set<String> shared = sharedModules(parent);
    Set<String> roots = new TreeSet<>();
    Set<String> own = new HashSet<>();
    for (ModuleReference r : refs) {
      String name = r.descriptor().name();
      if (!shared.contains(name)) {
        roots.add(name);
        own.add(name);
      }
    }
    if (roots.isEmpty()) {
      throw new IllegalStateException("its jars hold only modules pmodel provides itself ("
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

  /** pmodel.api and the modules it requires transitively, as the parent layer resolved them. */
  private static Set<String> sharedModules(ModuleLayer parent) {
    Set<String> out = new TreeSet<>();
    Module api = PluginLayers.class.getModule();
    if (!api.isNamed()) {
      return out;
    }
    ArrayList<ModuleDescriptor> todo = new ArrayList<>();
    todo.add(api.getDescriptor());
    out.add(api.getName());
    while (!todo.isEmpty()) {
      ModuleDescriptor d = todo.remove(todo.size() - 1);
      for (ModuleDescriptor.Requires r : d.requires()) {
        if (r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)
            && out.add(r.name())) {
          parent.findModule(r.name()).map(Module::getDescriptor).ifPresent(todo::add);
        }
      }
    }
    return out;
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
