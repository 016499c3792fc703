package pmodel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import pmodel.api.Capability;
import pmodel.api.GenerativeModel;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Feature;
import pmodel.api.data.Schema;
import pmodel.runtime.ModelFiles;
import pmodel.runtime.Provenance;
import pmodel.runtime.SavedModel;
import pmodel.runtime.SchemaFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code pmodel inspect}: what a model file holds. */
@Command(name = "inspect", description = "Show a model file: provider, family, schema, free"
    + " parameters, provenance and what the model learned (e.g. the most probable cells, or"
    + " the network and its loss per epoch).")
final class InspectCommand implements Callable<Integer> {
  static final int SUMMARY_LINES = 10;

  @ParentCommand
  Main main;

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model file.")
  Path modelFile;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    SavedModel saved = ModelFiles.load(modelFile, main.registry());
    GenerativeModel m = saved.model();
    List<String> summary = m.describe(SUMMARY_LINES);
    Provenance p = saved.provenance();
    PrintWriter out = main.out();
    if (json) {
      ObjectNode o = JsonOut.object();
      o.put("model", m.providerId());
      o.put("provider_version", saved.providerVersion());
      o.put("family", m.family().id());
      o.put("format_version", saved.formatVersion());
      ArrayNode caps = o.putArray("capabilities");
      for (Capability c : Capability.of(m)) {
        caps.add(c.id());
      }
      o.set("schema", JsonOut.parse(SchemaFiles.toJson(m.schema())));
      JsonOut.putCount(o, "free_parameters", m.freeParameters());
      ObjectNode h = o.putObject("hyperparameters");
      for (Map.Entry<String, String> e : m.hyperparameters().asStrings().entrySet()) {
        h.put(e.getKey(), e.getValue());
      }
      if (p != null) {
        ObjectNode prov = o.putObject("provenance");
        prov.put("training_rows", p.trainingRows());
        prov.put("data_source", p.dataSource());
        prov.put("data_fingerprint", p.dataFingerprint());
        prov.put("seed", p.seed());
        prov.put("threads", p.threads());
        prov.put("created", p.created());
        prov.put("pmodel_version", p.pmodelVersion());
      }
      ArrayNode s = o.putArray("summary");
      summary.forEach(s::add);
      out.println(JsonOut.write(o));
      return 0;
    }
    out.printf("model: %s %s (%s), model file format %d%n", m.providerId(),
        saved.providerVersion(), m.family().id(), saved.formatVersion());
    StringBuilder caps = new StringBuilder();
    for (Capability c : Capability.of(m)) {
      caps.append(caps.length() == 0 ? "" : ", ").append(c.id());
    }
    out.printf("capabilities: %s%n", caps);
    out.printf("schema: %s%n", describe(m.schema()));
    out.printf("free parameters: %s%n", Format.count(m.freeParameters()));
    out.printf("hyperparameters: %s%n", String.join(", ", m.hyperparameters().asStrings()
        .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
    if (p != null) {
      out.printf("trained on: %d rows of %s (%s), seed %d, %d threads, %s, pmodel %s%n",
          p.trainingRows(), p.dataSource(), p.dataFingerprint(), p.seed(), p.threads(),
          p.created(), p.pmodelVersion());
    }
    if (!summary.isEmpty()) {
      out.println("learned:");
      for (String line : summary) {
        out.println("  " + line);
      }
    }
    return 0;
  }

  static String describe(Schema schema) {
    if (schema.isImage()) {
      var shape = schema.image().orElseThrow();
      return "image " + shape.height() + "x" + shape.width() + ", "
          + schema.discrete(0).cardinality() + " levels per pixel";
    }
    StringBuilder sb = new StringBuilder();
    sb.append(schema.size()).append(" features: ");
    for (int f = 0; f < schema.size(); f++) {
      Feature feature = schema.feature(f);
      sb.append(f == 0 ? "" : ", ").append(feature.name());
      if (feature instanceof DiscreteFeature d) {
        sb.append(" (").append(d.cardinality()).append(d.hasLevelNames() ? " levels)"
            : " integer levels)");
      } else {
        sb.append(" (continuous)");
      }
      if (sb.length() > 400) {
        sb.append(", ...");
        break;
      }
    }
    return sb.toString();
  }
}
