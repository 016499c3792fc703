package pmodel.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import pmodel.api.error.PmodelException;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Feature;
import pmodel.api.data.ImageShape;
import pmodel.api.data.Schema;

/**
 * Schemas as JSON: {@code {"features": [{"name": "hair", "type": "categorical", "levels": [...]},
 * {"name": "p0", "type": "integer", "levels": 256}, {"name": "x", "type": "continuous"}]}}; an
 * image schema whose pixels share one cardinality is written compactly as
 * {@code {"image": {"height": 28, "width": 28, "levels": 256}}}.
 */
public final class SchemaJson {
  private SchemaJson() {
  }

  public static ObjectNode write(Schema schema) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    if (schema.isImage() && uniformPixels(schema)) {
      ImageShape shape = schema.image().orElseThrow();
      ObjectNode img = root.putObject("image");
      img.put("height", shape.height());
      img.put("width", shape.width());
      img.put("levels", schema.discrete(0).cardinality());
      return root;
    }
    if (schema.isImage()) {
      ImageShape shape = schema.image().orElseThrow();
      ObjectNode img = root.putObject("image");
      img.put("height", shape.height());
      img.put("width", shape.width());
    }
    ArrayNode features = root.putArray("features");
    for (Feature f : schema.features()) {
      ObjectNode n = features.addObject();
      n.put("name", f.name());
      if (f instanceof DiscreteFeature d) {
        if (d.hasLevelNames()) {
          n.put("type", "categorical");
          ArrayNode levels = n.putArray("levels");
          for (String l : d.levels()) {
            levels.add(l);
          }
        } else {
          n.put("type", "integer");
          n.put("levels", d.cardinality());
        }
      } else {
        n.put("type", "continuous");
      }
    }
    return root;
  }

  private static boolean uniformPixels(Schema schema) {
    int k = schema.discrete(0).cardinality();
    for (int i = 0; i < schema.size(); i++) {
      DiscreteFeature d = schema.discrete(i);
      if (d.cardinality() != k || !d.name().equals("p" + i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads a schema; {@code where} prefixes every error ("model file m.pm", "schema.json").
   */
  public static Schema read(JsonNode root, String where) {
    Function<String, PmodelException> bad = what -> PmodelException.badInput(where + ": " + what);
    if (root == null || !root.isObject()) {
      throw bad.apply("schema: expected an object");
    }
    JsonNode image = root.get("image");
    JsonNode features = root.get("features");
    if (image != null && features == null) {
      int h = intField(image, "height", where + ": schema image", 1, 1 << 14);
      int w = intField(image, "width", where + ": schema image", 1, 1 << 14);
      int k = intField(image, "levels", where + ": schema image", 1, 1 << 16);
      if ((long) h * w > 1 << 24) {
        throw bad.apply("schema image " + h + "x" + w + " is too large");
      }
      return Schema.image(h, w, k);
    }
    if (features == null || !features.isArray() || features.isEmpty()) {
      throw bad.apply("schema: expected a non-empty array 'features'");
    }
    List<Feature> out = new ArrayList<>(features.size());
    for (int i = 0; i < features.size(); i++) {
      JsonNode f = features.get(i);
      String at = "schema feature " + (i + 1);
      if (!f.isObject() || !f.path("name").isTextual() || !f.path("type").isTextual()) {
        throw bad.apply(at + ": expected an object with a string 'name' and 'type'");
      }
      String name = f.get("name").asText();
      String type = f.get("type").asText();
      switch (type) {
        case "categorical": {
          JsonNode levels = f.get("levels");
          if (levels == null || !levels.isArray() || levels.isEmpty()) {
            throw bad.apply(at + " '" + name + "': expected a non-empty array of level names");
          }
          List<String> names = new ArrayList<>(levels.size());
          for (JsonNode l : levels) {
            if (!l.isTextual()) {
              throw bad.apply(at + " '" + name + "': level names must be strings");
            }
            names.add(l.asText());
          }
          out.add(DiscreteFeature.categorical(name, names));
          break;
        }
        case "integer":
          out.add(DiscreteFeature.integer(name,
              intField(f, "levels", where + ": " + at + " '" + name + "'", 1, Integer.MAX_VALUE)));
          break;
        case "continuous":
          out.add(new ContinuousFeature(name));
          break;
        default:
          throw bad.apply(at + " '" + name + "': unknown type '" + type
              + "'; expected categorical, integer or continuous");
      }
    }
    if (image != null) {
      int h = intField(image, "height", where + ": schema image", 1, 1 << 14);
      int w = intField(image, "width", where + ": schema image", 1, 1 << 14);
      return Schema.image(new ImageShape(h, w), out);
    }
    return Schema.of(out);
  }

  static int intField(JsonNode node, String field, String where, int min, int max) {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min
        || v.asInt() > max) {
      throw PmodelException.badInput(where + ": '" + field + "' must be an integer in " + min
          + ".." + max);
    }
    return v.asInt();
  }
}
