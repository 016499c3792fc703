package pmodel.api.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import pmodel.api.error.PmodelException;

/**
 * Fixed values of some features, for conditional sampling: "sample outfits given
 * hair_color=Red". Discrete features are fixed to a code, continuous ones to a value.
 */
public final class Condition {
  private static final Condition NONE = new Condition(new int[0], new int[0], new double[0], 0);

  private final int[] features;
  private final int[] codes;
  private final double[] values;
  private final int schemaSize;

  private Condition(int[] features, int[] codes, double[] values, int schemaSize) {
    this.features = features;
    this.codes = codes;
    this.values = values;
    this.schemaSize = schemaSize;
  }

  /** No feature fixed. */
  public static Condition none() {
    return NONE;
  }

  /**
   * Parses "feature=value" pairs against a schema. An unknown feature, an unknown level or a
   * value that is not a finite number fails with a message naming it.
   */
  public static Condition parse(Schema schema, Map<String, String> given) {
    Map<String, String> ordered = new LinkedHashMap<>(given);
    int n = ordered.size();
    int[] fs = new int[n];
    int[] cs = new int[n];
    double[] vs = new double[n];
    int i = 0;
    for (Map.Entry<String, String> e : ordered.entrySet()) {
      int f = schema.indexOf(e.getKey());
      if (f < 0) {
        throw PmodelException.badInput("--given " + e.getKey() + "=" + e.getValue()
            + ": the model has no feature '" + e.getKey() + "'; features: "
            + abbreviate(String.join(", ", schema.names())));
      }
      fs[i] = f;
      if (schema.feature(f) instanceof DiscreteFeature d) {
        int c = d.code(e.getValue());
        if (c < 0) {
          throw PmodelException.badInput("--given " + e.getKey() + "=" + e.getValue()
              + ": unknown level; expected " + d.describeLevels());
        }
        cs[i] = c;
      } else {
        double v;
        try {
          v = Double.parseDouble(e.getValue());
        } catch (NumberFormatException ex) {
          v = Double.NaN;
        }
        if (!Double.isFinite(v)) {
          throw PmodelException.badInput("--given " + e.getKey() + "=" + e.getValue()
              + ": expected a finite number");
        }
        vs[i] = v;
      }
      i++;
    }
    return new Condition(fs, cs, vs, schema.size());
  }

  /** A condition built from codes, for discrete features only (used by tests and tools). */
  public static Condition ofCodes(Schema schema, int[] features, int[] codes) {
    for (int i = 0; i < features.length; i++) {
      DiscreteFeature d = schema.discrete(features[i]);
      if (codes[i] < 0 || codes[i] >= d.cardinality()) {
        throw new IllegalArgumentException("code out of range for " + d.name());
      }
    }
    return new Condition(features.clone(), codes.clone(), new double[features.length],
        schema.size());
  }

  public boolean isEmpty() {
    return features.length == 0;
  }

  /** The number of fixed features. */
  public int size() {
    return features.length;
  }

  /** The column of the i-th fixed feature. */
  public int feature(int i) {
    return features[i];
  }

  /** The code the i-th fixed feature is fixed to (discrete features). */
  public int code(int i) {
    return codes[i];
  }

  /** The value the i-th fixed feature is fixed to (continuous features). */
  public double value(int i) {
    return values[i];
  }

  /** For each column of the schema, the index into this condition, or -1 when free. */
  public int[] positions(int schemaSize) {
    int[] pos = new int[schemaSize];
    Arrays.fill(pos, -1);
    for (int i = 0; i < features.length; i++) {
      pos[features[i]] = i;
    }
    return pos;
  }

  /** The schema size this condition was parsed against (0 for {@link #none()}). */
  public int schemaSize() {
    return schemaSize;
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + ", ...";
  }
}
