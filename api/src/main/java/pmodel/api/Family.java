package pmodel.api;

import pmodel.api.error.PmodelException;

/**
 * The taxonomy of generative models: how a family gives access to its density.
 */
public enum Family {
  /** The density is written down and computed exactly (histogram, naive Bayes, flows). */
  EXPLICIT_TRACTABLE("explicit-tractable"),
  /** The density is written down but only bounded or estimated (VAE, diffusion). */
  EXPLICIT_APPROXIMATE("explicit-approximate"),
  /** Only a sampler is defined; there is no density to evaluate (GAN). */
  IMPLICIT("implicit");

  private final String id;

  Family(String id) {
    this.id = id;
  }

  /** The stable name used in files, JSON and on the command line. */
  public String id() {
    return id;
  }

  /** The family with this {@link #id()}. */
  public static Family fromId(String id) {
    for (Family f : values()) {
      if (f.id.equals(id)) {
        return f;
      }
    }
    throw PmodelException.badInput("unknown model family '" + id
        + "'; expected explicit-tractable, explicit-approximate or implicit");
  }
}
