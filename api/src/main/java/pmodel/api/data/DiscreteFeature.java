package pmodel.api.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import pmodel.api.error.PmodelException;

/**
 * A feature with K levels coded 0..K-1: either categorical, with a name per level, or integer
 * levels whose names are the numbers themselves (an 8-bit pixel is integer with K = 256).
 */
public final class DiscreteFeature implements Feature {
  private final String name;
  private final int cardinality;
  private final List<String> levelNames; // null for integer levels
  private volatile Map<String, Integer> codes; // built on first lookup

  private DiscreteFeature(String name, int cardinality, List<String> levelNames) {
    this.name = Objects.requireNonNull(name, "name");
    checkName(name);
    if (cardinality < 1) {
      throw PmodelException.badInput("feature '" + name + "' has " + cardinality
          + " levels; expected at least 1");
    }
    this.cardinality = cardinality;
    this.levelNames = levelNames;
  }

  /** A categorical feature whose levels are named, in code order. */
  public static DiscreteFeature categorical(String name, List<String> levels) {
    List<String> copy = List.copyOf(levels);
    Map<String, Integer> seen = new HashMap<>(copy.size() * 2);
    for (int i = 0; i < copy.size(); i++) {
      if (seen.put(copy.get(i), i) != null) {
        throw PmodelException.badInput("feature '" + name + "' lists level '" + copy.get(i)
            + "' twice");
      }
    }
    DiscreteFeature f = new DiscreteFeature(name, copy.size(), copy);
    f.codes = seen;
    return f;
  }

  /** A feature with integer levels 0..k-1, named by their decimal value. */
  public static DiscreteFeature integer(String name, int k) {
    return new DiscreteFeature(name, k, null);
  }

  @Override
  public String name() {
    return name;
  }

  /** K, the number of levels. */
  public int cardinality() {
    return cardinality;
  }

  /** True when levels are named; false for integer levels 0..K-1. */
  public boolean hasLevelNames() {
    return levelNames != null;
  }

  /** The name of level {@code code}. */
  public String level(int code) {
    Objects.checkIndex(code, cardinality);
    return levelNames == null ? Integer.toString(code) : levelNames.get(code);
  }

  /** All level names in code order. */
  public List<String> levels() {
    if (levelNames != null) {
      return levelNames;
    }
    List<String> out = new ArrayList<>(cardinality);
    for (int i = 0; i < cardinality; i++) {
      out.add(Integer.toString(i));
    }
    return Collections.unmodifiableList(out);
  }

  /** The code of a level name, or -1 when this feature has no such level. */
  public int code(String level) {
    if (levelNames == null) {
      return parseIntegerLevel(level, cardinality);
    }
    Map<String, Integer> map = codes;
    if (map == null) {
      map = new HashMap<>(cardinality * 2);
      for (int i = 0; i < cardinality; i++) {
        map.put(levelNames.get(i), i);
      }
      codes = map;
    }
    Integer c = map.get(level);
    return c == null ? -1 : c;
  }

  /** A short description of the levels for error messages, e.g. "Black, Blonde, ... (6 levels)". */
  public String describeLevels() {
    if (levelNames == null) {
      return "an integer 0.." + (cardinality - 1);
    }
    StringBuilder sb = new StringBuilder("one of ");
    int shown = Math.min(cardinality, 8);
    for (int i = 0; i < shown; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(levelNames.get(i));
    }
    if (shown < cardinality) {
      sb.append(", ... (").append(cardinality).append(" levels)");
    }
    return sb.toString();
  }

  private static int parseIntegerLevel(String s, int k) {
    int n = s.length();
    if (n == 0 || n > 10) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9' || (i == 0 && c == '0' && n > 1)) {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v < k ? (int) v : -1;
  }

  static void checkName(String name) {
    if (name.isBlank()) {
      throw PmodelException.badInput("a feature name is blank; expected a non-empty name");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DiscreteFeature d
        && d.name.equals(name)
        && d.cardinality == cardinality
        && Objects.equals(d.levelNames, levelNames);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, cardinality, levelNames);
  }

  @Override
  public String toString() {
    return name + (levelNames == null ? "{0.." + (cardinality - 1) + "}" : levelNames.toString());
  }
}
