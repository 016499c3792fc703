package pmodel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON output of the commands (Jackson's tree model). */
final class JsonOut {
  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonOut() {
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A finite double, or null for infinities and NaN (JSON has no such numbers). */
  static void putNumber(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.putNull(key);
    }
  }

  /**
   * A count exactly as a JSON number, or as the string "about 1.23e45678" when it has
   * {@link pmodel.api.data.Magnitudes#EXACT_BITS} bits or more.
   */
  static void putCount(ObjectNode o, String name, java.math.BigInteger n) {
    if (n.bitLength() < pmodel.api.data.Magnitudes.EXACT_BITS) {
      o.put(name, n);
    } else {
      o.put(name, pmodel.api.data.Magnitudes.show(n));
    }
  }
}
