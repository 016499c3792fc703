package pmodel.api.params;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pmodel.api.error.PmodelException;

/**
 * Validated hyperparameter values of one provider: every declared parameter has a value (given
 * or default), each within its {@link ParameterSpec} range.
 */
public final class Parameters {
  private final Map<String, ParameterSpec> specs;
  private final Map<String, Object> values;

  private Parameters(Map<String, ParameterSpec> specs, Map<String, Object> values) {
    this.specs = specs;
    this.values = values;
  }

  /** The defaults of every spec. */
  public static Parameters defaults(List<ParameterSpec> specs) {
    return parse("model", specs, Map.of());
  }

  /**
   * Validates {@code name=value} strings against the specs: an unknown name, a malformed value
   * or one out of range fails with a message naming the model, the parameter and the range.
   */
  public static Parameters parse(String modelId, List<ParameterSpec> specs,
      Map<String, String> given) {
    Map<String, ParameterSpec> byName = new LinkedHashMap<>();
    for (ParameterSpec s : specs) {
      byName.put(s.name(), s);
    }
    for (String name : given.keySet()) {
      if (!byName.containsKey(name)) {
        throw PmodelException.badInput("unknown parameter '" + name + "' for model '" + modelId
            + "'; known: " + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet())));
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (ParameterSpec s : specs) {
      String raw = given.get(s.name());
      boolean isDefault = raw == null;
      values.put(s.name(), convert(modelId, s, isDefault ? s.defaultValue() : raw.trim()));
    }
    return new Parameters(Collections.unmodifiableMap(byName), Collections.unmodifiableMap(values));
  }

  private static Object convert(String modelId, ParameterSpec s, String raw) {
    String where = "parameter " + s.name() + "=" + raw + " for model '" + modelId + "'";
    switch (s.type()) {
      case INTEGER: {
        long v = parseLong(raw, where, s);
        checkRange(v, s, where);
        return v;
      }
      case REAL: {
        double v;
        try {
          v = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
          throw PmodelException.badInput(where + " is not a number; expected " + s.describeRange());
        }
        checkRange(v, s, where);
        return v;
      }
      case BOOLEAN:
        if (raw.equalsIgnoreCase("true")) {
          return Boolean.TRUE;
        }
        if (raw.equalsIgnoreCase("false")) {
          return Boolean.FALSE;
        }
        throw PmodelException.badInput(where + " is invalid; expected true or false");
      case CHOICE:
        if (!s.choices().contains(raw)) {
          throw PmodelException.badInput(where + " is invalid; expected " + s.describeRange());
        }
        return raw;
      case INTEGER_LIST: {
        if (raw.isEmpty()) {
          throw PmodelException.badInput(where + " is empty; expected " + s.describeRange());
        }
        String[] parts = raw.split(",", -1);
        if (parts.length > 64) {
          throw PmodelException.badInput(where + " has " + parts.length
              + " entries; expected at most 64");
        }
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
          long v = parseLong(parts[i].trim(), where, s);
          checkRange(v, s, where);
          out[i] = (int) v;
        }
        return out;
      }
      default:
        throw new IllegalStateException();
    }
  }

  private static long parseLong(String raw, String where, ParameterSpec s) {
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw PmodelException.badInput(where + " is not an integer; expected " + s.describeRange());
    }
  }

  private static void checkRange(double v, ParameterSpec s, String where) {
    boolean low = s.minInclusive() ? v >= s.min() : v > s.min();
    if (!low || !(v <= s.max()) || Double.isNaN(v)) {
      throw PmodelException.badInput(where + " is out of range; expected " + s.describeRange());
    }
  }

  public long integer(String name) {
    return (Long) get(name, ParameterSpec.Type.INTEGER);
  }

  public double real(String name) {
    return (Double) get(name, ParameterSpec.Type.REAL);
  }

  public boolean bool(String name) {
    return (Boolean) get(name, ParameterSpec.Type.BOOLEAN);
  }

  public String choice(String name) {
    return (String) get(name, ParameterSpec.Type.CHOICE);
  }

  public int[] integers(String name) {
    return ((int[]) get(name, ParameterSpec.Type.INTEGER_LIST)).clone();
  }

  private Object get(String name, ParameterSpec.Type type) {
    ParameterSpec s = specs.get(name);
    if (s == null || s.type() != type) {
      throw new IllegalArgumentException("no " + type + " parameter '" + name + "'");
    }
    return values.get(name);
  }

  /** The specs these values were validated against, in declaration order. */
  public List<ParameterSpec> specs() {
    return List.copyOf(specs.values());
  }

  /** Every value as its canonical string ("1.0", "true", "512,256"), in declaration order. */
  public Map<String, String> asStrings() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      Object v = e.getValue();
      String s;
      if (v instanceof int[] a) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.length; i++) {
          sb.append(i == 0 ? "" : ",").append(a[i]);
        }
        s = sb.toString();
      } else {
        s = String.valueOf(v);
      }
      out.put(e.getKey(), s);
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Parameters p && p.asStrings().equals(asStrings());
  }

  @Override
  public int hashCode() {
    return asStrings().hashCode();
  }

  @Override
  public String toString() {
    return asStrings().toString();
  }
}
