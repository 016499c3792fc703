package pmodel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import pmodel.api.Capability;
import pmodel.runtime.ModelRegistry;
import pmodel.api.spi.ModelProvider;
import pmodel.api.params.ParameterSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code pmodel models}: the installed model providers. */
@Command(name = "models", description = "List the installed models with their family,"
    + " capabilities, API version, origin (built in, or the plugin directory) and"
    + " hyperparameters.")
final class ModelsCommand implements Callable<Integer> {
  @ParentCommand
  Main main;

  @Option(names = "--json", description = "Print a JSON array.")
  boolean json;

  @Override
  public Integer call() {
    ModelRegistry registry = main.registry();
    PrintWriter out = main.out();
    if (json) {
      ArrayNode arr = JsonOut.array();
      for (ModelRegistry.Entry e : registry.entries()) {
        ModelProvider p = e.provider();
        ObjectNode o = arr.addObject();
        o.put("id", p.id());
        o.put("family", p.family().id());
        o.put("description", p.description());
        o.put("version", p.version());
        o.put("api_version", p.apiVersion());
        o.put("origin", e.origin());
        ArrayNode caps = o.putArray("capabilities");
        for (Capability c : p.capabilities()) {
          caps.add(c.id());
        }
        ArrayNode params = o.putArray("parameters");
        for (ParameterSpec s : p.parameters()) {
          ObjectNode ps = params.addObject();
          ps.put("name", s.name());
          ps.put("type", s.type().name().toLowerCase(java.util.Locale.ROOT));
          ps.put("default", s.defaultValue());
          ps.put("range", s.describeRange());
          ps.put("help", s.help());
        }
      }
      out.println(JsonOut.write(arr));
      return 0;
    }
    for (ModelRegistry.Entry e : registry.entries()) {
      ModelProvider p = e.provider();
      out.printf("%s (%s): %s%n", p.id(), p.family().id(), p.description());
      StringBuilder caps = new StringBuilder();
      for (Capability c : p.capabilities()) {
        caps.append(caps.length() == 0 ? "" : ", ").append(c.id());
      }
      out.printf("  capabilities: %s%n", caps);
      out.printf("  version %s, API version %d, origin: %s%n", p.version(), p.apiVersion(),
          e.origin());
      for (ParameterSpec s : p.parameters()) {
        out.printf("  --set %s=%s  (%s) %s%n", s.name(), s.defaultValue(), s.describeRange(),
            s.help());
      }
    }
    if (registry.entries().isEmpty()) {
      out.println("no models installed");
    }
    return 0;
  }
}
