package pmodel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ModuleReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of the architecture (docs/ARCHITECTURE.md), checked on the compiled
 * modules that the CLI runs with: every pmodel module on this test's class path is read as a
 * JPMS module (its {@code module-info.class}) and its classes' constant pools give the package
 * graph.
 *
 * <ul>
 *   <li>{@code pmodel.api} requires nothing but Commons RNG (no Jackson, no java.desktop) and
 *       holds no resources;</li>
 *   <li>model plugins export nothing, provide a ModelProvider and require only the api, the DJL
 *       support module and DJL's own modules: never another plugin or host code;</li>
 *   <li>no module has a cycle among its packages;</li>
 *   <li>each module's name, exports and requires are what the table in ARCHITECTURE.md says;</li>
 *   <li>a plugin resolves without Jackson or java.desktop.</li>
 * </ul>
 */
class ModuleRulesTest {
  static final Set<String> PLUGINS = Set.of("pmodel.histogram", "pmodel.naivebayes", "pmodel.vae",
      "pmodel.gan", "pmodel.flow", "pmodel.diffusion", "pmodel.bayesnet");

  static final Map<String, ModuleReference> MODULES = new TreeMap<>();
  static ModuleFinder all;

  @BeforeAll
  static void findModules() {
    List<Path> entries = new ArrayList<>();
    for (String p : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path path = Path.of(p);
      if (Files.exists(path) && !path.getFileName().toString().contains("native")) {
        entries.add(path);
      }
    }
    List<Path> usable = new ArrayList<>();
    for (Path e : entries) {
      try {
        for (ModuleReference r : ModuleFinder.of(e).findAll()) {
          usable.add(e);
          if (r.descriptor().name().startsWith("pmodel.")) {
            MODULES.put(r.descriptor().name(), r);
          }
        }
      } catch (RuntimeException ex) {
        // an entry that is no valid module (e.g. a jar whose name gives no module name)
      }
    }
    all = ModuleFinder.of(usable.toArray(Path[]::new));
    assertThat(MODULES).containsKeys("pmodel.api", "pmodel.data", "pmodel.runtime",
        "pmodel.eval", "pmodel.djl", "pmodel.histogram", "pmodel.naivebayes", "pmodel.vae",
        "pmodel.gan");
  }

  static Set<String> requires(String module) {
    return MODULES.get(module).descriptor().requires().stream()
        .filter(r -> !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.MANDATED))
        .map(ModuleDescriptor.Requires::name).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void theApiRequiresOnlyCommonsRngAndHoldsNoResources() throws IOException {
    assertThat(requires("pmodel.api"))
        .containsExactlyInAnyOrder("org.apache.commons.rng.api", "org.apache.commons.rng.core");
    try (ModuleReader r = MODULES.get("pmodel.api").open()) {
      assertThat(r.list().filter(n -> !n.endsWith(".class") && !n.endsWith("/")
          && !n.startsWith("META-INF/"))).isEmpty();
    }
  }

  @Test
  void pluginsExportNothingAndRequireOnlyTheApiTheDjlModuleAndDjl() {
    for (String p : PLUGINS) {
      if (!MODULES.containsKey(p)) {
        continue; // not bundled with the CLI
      }
      ModuleDescriptor d = MODULES.get(p).descriptor();
      assertThat(d.exports()).as(p).isEmpty();
      assertThat(d.provides()).as(p).anyMatch(x -> x.service().equals(
          "pmodel.api.spi.ModelProvider"));
      for (String r : requires(p)) {
        assertThat(r.equals("pmodel.api") || r.equals("pmodel.djl") || r.startsWith("ai.djl.")
            || r.equals("org.slf4j")).as(p + " requires " + r).isTrue();
      }
    }
    assertThat(requires("pmodel.djl")).containsExactlyInAnyOrder("pmodel.api", "ai.djl.api",
        "ai.djl.pytorch_engine", "org.slf4j");
  }

  @Test
  void everyPluginResolvesWithoutJacksonOrTheDesktop() {
    for (String p : PLUGINS) {
      if (!MODULES.containsKey(p)) {
        continue;
      }
      var cf = java.lang.module.Configuration.resolve(all, List.of(
          ModuleLayer.boot().configuration()), ModuleFinder.of(), Set.of(p));
      Set<String> names = cf.modules().stream().map(m -> m.name()).collect(Collectors.toSet());
      assertThat(names).as(p).noneMatch(n -> n.startsWith("com.fasterxml"));
      // java.desktop is in this JVM's boot layer; neither the plugin nor the api may read it
      // (DJL's automatic modules read every module, as automatic modules do: not the plugin's)
      for (String m : List.of(p, "pmodel.api")) {
        Set<String> reads = cf.findModule(m).orElseThrow().reads().stream()
            .map(x -> x.name()).collect(Collectors.toSet());
        assertThat(reads).as(m + " in the graph of " + p).doesNotContain("java.desktop")
            .noneMatch(n -> n.startsWith("com.fasterxml"));
      }
    }
  }

  @Test
  void noModuleHasAPackageCycle() throws IOException {
    for (var e : MODULES.entrySet()) {
      Map<String, Set<String>> graph = packageGraph(e.getValue());
      List<String> cycle = findCycle(graph);
      assertThat(cycle).as("package cycle in " + e.getKey()).isEmpty();
    }
  }

  @Test
  void theModuleTableOfArchitectureMdIsTrue() throws IOException {
    String doc = Files.readString(Path.of(System.getProperty("user.dir")).resolveSibling(
        "docs").resolve("ARCHITECTURE.md"));
    // | `dir` | `pmodel.x` | exports | requires | role |
    Pattern row = Pattern.compile("^\\| `[^`]+` \\| `(pmodel\\.[a-z]+)` \\| ([^|]*) \\| ([^|]*) \\|",
        Pattern.MULTILINE);
    Matcher m = row.matcher(doc);
    int rows = 0;
    while (m.find()) {
      String name = m.group(1);
      if (!MODULES.containsKey(name)) {
        continue; // a module the CLI does not bundle (tck, benchmarks)
      }
      rows++;
      ModuleDescriptor d = MODULES.get(name).descriptor();
      Set<String> exports = d.exports().stream().filter(x -> !x.isQualified())
          .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
      assertThat(names(m.group(2))).as("exports of " + name).isEqualTo(exports);
      Set<String> pmodelRequires = requires(name).stream().filter(r -> r.startsWith("pmodel."))
          .collect(Collectors.toCollection(TreeSet::new));
      assertThat(names(m.group(3))).as("pmodel modules " + name + " requires")
          .isEqualTo(pmodelRequires);
    }
    assertThat(rows).as("rows of the module table").isGreaterThanOrEqualTo(9);
  }

  /** The `pmodel...` names in a table cell ("nothing" is none). */
  static Set<String> names(String cell) {
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile("`(pmodel\\.[a-z.]+)`").matcher(cell);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** Package → packages of the same module that its classes reference. */
  static Map<String, Set<String>> packageGraph(ModuleReference ref) throws IOException {
    Set<String> own = ref.descriptor().packages();
    Map<String, Set<String>> graph = new LinkedHashMap<>();
    try (ModuleReader r = ref.open()) {
      for (String name : r.list().filter(n -> n.endsWith(".class")
          && !n.equals("module-info.class")).toList()) {
        String pkg = name.substring(0, Math.max(0, name.lastIndexOf('/'))).replace('/', '.');
        Set<String> out = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
        try (InputStream in = r.open(name).orElseThrow()) {
          for (String c : referencedClasses(in)) {
            int slash = c.lastIndexOf('/');
            String p = slash < 0 ? "" : c.substring(0, slash).replace('/', '.');
            if (!p.equals(pkg) && own.contains(p)) {
              out.add(p);
            }
          }
        }
      }
    }
    return graph;
  }

  /** A cycle in the graph as its packages in order, or an empty list. */
  static List<String> findCycle(Map<String, Set<String>> graph) {
    Map<String, Integer> state = new HashMap<>();
    for (String start : graph.keySet()) {
      List<String> path = new ArrayList<>();
      List<String> c = dfs(start, graph, state, path);
      if (!c.isEmpty()) {
        return c;
      }
    }
    return List.of();
  }

  private static List<String> dfs(String n, Map<String, Set<String>> g, Map<String, Integer> state,
      List<String> path) {
    Integer s = state.get(n);
    if (s != null && s == 2) {
      return List.of();
    }
    if (s != null && s == 1) {
      return new ArrayList<>(path.subList(path.indexOf(n), path.size()));
    }
    state.put(n, 1);
    path.add(n);
    for (String m : g.getOrDefault(n, Set.of())) {
      List<String> c = dfs(m, g, state, path);
      if (!c.isEmpty()) {
        return c;
      }
    }
    path.remove(path.size() - 1);
    state.put(n, 2);
    return List.of();
  }

  /**
   * The internal names of the classes a class file refers to: its CONSTANT_Class entries and
   * every {@code Lpkg/Name;} in its descriptors and signatures (JVMS §4.4).
   */
  static Set<String> referencedClasses(InputStream raw) {
    Set<String> out = new HashSet<>();
    try {
      DataInputStream in = new DataInputStream(raw);
      in.readInt();
      in.readUnsignedShort();
      in.readUnsignedShort();
      int count = in.readUnsignedShort();
      String[] utf = new String[count];
      List<Integer> classIndexes = new ArrayList<>();
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> utf[i] = in.readUTF();
          case 7 -> classIndexes.add(in.readUnsignedShort());
          case 8, 16, 19, 20 -> in.readUnsignedShort();
          case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
          case 5, 6 -> {
            in.readLong();
            i++;
          }
          case 15 -> {
            in.readUnsignedByte();
            in.readUnsignedShort();
          }
          default -> throw new IOException("unknown constant pool tag " + tag);
        }
      }
      for (int idx : classIndexes) {
        String n = utf[idx];
        if (n != null) {
          out.add(n.startsWith("[") ? n.replaceAll("^\\[+L?", "").replace(";", "") : n);
        }
      }
      Pattern desc = Pattern.compile("L([\\w/$]+)[;<]");
      for (String s : utf) {
        if (s != null && s.indexOf('L') >= 0 && s.indexOf('/') > 0) {
          Matcher m = desc.matcher(s);
          while (m.find()) {
            out.add(m.group(1));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
