package pmodel.api;

import java.util.EnumSet;
import java.util.Set;

/** The capabilities a model can have, each an interface found by type. */
public enum Capability {
  SAMPLING("sampling", GenerativeModel.class),
  EXACT_DENSITY("exact-density", ExactDensity.class),
  DENSITY_BOUND("density-bound", DensityBound.class),
  CONDITIONAL_SAMPLING("conditional-sampling", ConditionalSampler.class),
  /** A decoder from latent points to data (a GAN's generator); a latent space has one too. */
  LATENT_DECODING("latent-decoding", LatentDecoder.class),
  LATENT_SPACE("latent-space", LatentSpace.class),
  /** The learned dependencies between features (a Bayesian network's graph). */
  DEPENDENCY_GRAPH("dependency-graph", DependencyGraph.class);

  private final String id;
  private final Class<?> type;

  Capability(String id, Class<?> type) {
    this.id = id;
    this.type = type;
  }

  /** The stable name shown by {@code pmodel models}. */
  public String id() {
    return id;
  }

  /** The interface a model implements to have this capability. */
  public Class<?> type() {
    return type;
  }

  /** The capabilities of a model, by the interfaces it implements. */
  public static Set<Capability> of(GenerativeModel model) {
    Set<Capability> out = EnumSet.noneOf(Capability.class);
    for (Capability c : values()) {
      if (c.type.isInstance(model)) {
        out.add(c);
      }
    }
    return out;
  }

  /** How a model scores data: "exact", "bound" or "none" (implicit models have no likelihood). */
  public static String likelihoodKind(GenerativeModel model) {
    if (model instanceof ExactDensity) {
      return "exact";
    }
    if (model instanceof DensityBound) {
      return "bound";
    }
    return "none";
  }
}
