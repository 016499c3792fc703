package pmodel.api;

import java.net.URL;
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
import pmodel.api.spi.ModelProvider;

/**
 * The installed model providers, found through {@link ServiceLoader}. Discovery isolates errors:
 * a provider that fails to load, was built for another API version, or repeats an id is recorded
 * in {@link #problems()} as one line and skipped, and the others keep working.
 */
public final class ModelRegistry {
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
    Builder b = new Builder();
    b.addAll(ServiceLoader.load(ModelProvider.class, ModelRegistry.class.getClassLoader()), null);
    return b.build();
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
        } catch (ServiceConfigurationError | LinkageError e) {
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

    /** Adds one provider after checking its id and API version. */
    public Builder add(ModelProvider p, String origin) {
      String id;
      int api;
      try {
        id = p.id();
        api = p.apiVersion();
      } catch (RuntimeException | LinkageError e) {
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
        problems.add("duplicate model id '" + id + "': " + origin + " repeats "
            + existing.origin() + ": skipped");
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
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable c = e.getCause();
    if (c != null && c.getMessage() != null) {
      m = m + ": " + c.getMessage();
    }
    return m.replace('\n', ' ');
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
