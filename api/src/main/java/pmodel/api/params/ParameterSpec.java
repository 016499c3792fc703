package pmodel.api.params;

import java.util.List;
import java.util.Objects;

/**
 * A typed hyperparameter a provider accepts: its name, type, default, allowed range and help text.
 * The same spec validates {@code --set name=value} and prints the CLI's help.
 *
 * @param name the name used in {@code --set name=value}
 * @param type the value type
 * @param defaultValue the default, as its canonical string
 * @param min the smallest allowed value (numbers, and each element of a list)
 * @param minInclusive whether {@code min} itself is allowed
 * @param max the largest allowed value
 * @param choices the allowed values of a {@link Type#CHOICE}
 * @param help a one-line description
 */
public record ParameterSpec(String name, Type type, String defaultValue, double min,
    boolean minInclusive, double max, List<String> choices, String help) {

  /** The value types of hyperparameters. */
  public enum Type {
    INTEGER, REAL, BOOLEAN, CHOICE, INTEGER_LIST
  }

  public ParameterSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(defaultValue, "defaultValue");
    choices = List.copyOf(choices);
    Objects.requireNonNull(help, "help");
    if (!name.matches("[a-z][a-z0-9_-]*")) {
      throw new IllegalArgumentException("bad parameter name '" + name + "'");
    }
  }

  /** An integer in [min, max]. */
  public static ParameterSpec integer(String name, long defaultValue, long min, long max,
      String help) {
    return new ParameterSpec(name, Type.INTEGER, Long.toString(defaultValue), min, true, max,
        List.of(), help);
  }

  /** A real number above {@code min} (inclusive or not) and at most {@code max}. */
  public static ParameterSpec real(String name, double defaultValue, double min,
      boolean minInclusive, double max, String help) {
    return new ParameterSpec(name, Type.REAL, Double.toString(defaultValue), min, minInclusive, max,
        List.of(), help);
  }

  /** true or false. */
  public static ParameterSpec bool(String name, boolean defaultValue, String help) {
    return new ParameterSpec(name, Type.BOOLEAN, Boolean.toString(defaultValue), 0, true, 1,
        List.of(), help);
  }

  /** One of a fixed set of words. */
  public static ParameterSpec choice(String name, String defaultValue, List<String> choices,
      String help) {
    return new ParameterSpec(name, Type.CHOICE, defaultValue, 0, true, 0, choices, help);
  }

  /** A comma-separated list of integers, each in [min, max]. */
  public static ParameterSpec integers(String name, String defaultValue, long min, long max,
      String help) {
    return new ParameterSpec(name, Type.INTEGER_LIST, defaultValue, min, true, max, List.of(),
        help);
  }

  /** The allowed values in words, e.g. "a number >= 0" or "one of mlp, conv". */
  public String describeRange() {
    return switch (type) {
      case BOOLEAN -> "true or false";
      case CHOICE -> "one of " + String.join(", ", choices);
      case INTEGER -> "an integer in " + (long) min + ".." + (long) max;
      case INTEGER_LIST -> "comma-separated integers, each in " + (long) min + ".." + (long) max;
      case REAL -> "a number " + (minInclusive ? ">= " : "> ") + fmt(min)
          + (max == Double.MAX_VALUE || max == Double.POSITIVE_INFINITY ? "" : " and <= "
          + fmt(max));
    };
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
