package pmodel.api.data;

import java.util.Objects;

/** A real-valued feature; values are finite doubles. */
public record ContinuousFeature(String name) implements Feature {
  public ContinuousFeature {
    Objects.requireNonNull(name, "name");
    DiscreteFeature.checkName(name);
  }
}
